import { usageError } from './cli-error.js';

/** Splits one line of comma-, semicolon- or tab-separated values into trimmed cells. */
function cells(line: string): string[] {
  return line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

const isNumber = (cell: string) => cell !== '' && Number.isFinite(Number(cell));

/**
 * The JSON a person meant when they gave comma-separated values (a row pasted from a CSV file, or
 * a CSV file with or without a heading line), to quote back in the error; null when the text does
 * not read as CSV. Only the first rows are quoted: an example, not a conversion.
 *
 * @example
 * csvAsJson('5.1,3.5,1.4,0.2') // '[5.1, 3.5, 1.4, 0.2]'
 * csvAsJson('a,b\n1,2') // '{"a": 1, "b": 2}'
 */
export function csvAsJson(text: string): string | null {
  const lines = text
    .trim()
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const rows = lines.map(cells);
  if (!rows.length || rows.some((r) => r.length < 2 || r.length !== rows[0]!.length)) return null;
  const [first, ...rest] = rows as [string[], ...string[][]];
  const row = (r: string[]) => `[${r.map(Number).join(', ')}]`;
  if (rows.every((r) => r.every(isNumber))) {
    return rows.length === 1 ? row(first) : `[${rows.slice(0, 2).map(row).join(', ')}]`;
  }
  // A heading line of names over numeric rows: each row as an object of named features.
  const named =
    first.every((c) => c && !isNumber(c)) && rest.length > 0 && rest.every((r) => r.every(isNumber));
  if (!named) return null;
  const object = (r: string[]) =>
    `{${first.map((n, i) => `${JSON.stringify(n)}: ${Number(r[i])}`).join(', ')}}`;
  return rest.length === 1 ? object(rest[0]!) : `[${rest.slice(0, 2).map(object).join(', ')}]`;
}

/**
 * One row written plainly, as chat and the console take it: numbers separated by spaces, or by
 * commas (or semicolons), on one line; null for anything else. A cell that is not one number (such
 * as "5,1 3,5", decimal commas) makes it not a row rather than a guess.
 *
 * @example
 * plainRow('5.1 3.5 1.4 0.2') // [5.1, 3.5, 1.4, 0.2]
 * plainRow('5.1, 3.5,1.4;0.2') // [5.1, 3.5, 1.4, 0.2]
 * plainRow('5,1 3,5') // null
 */
export function plainRow(text: string): number[] | null {
  const line = text.trim();
  if (!line || /[\r\n]/.test(line)) return null;
  const row = /[,;]/.test(line) ? line.split(/\s*[,;]\s*/) : line.split(/\s+/);
  return row.every(isNumber) ? row.map(Number) : null;
}

/**
 * The rows to predict on from the text given (`what`: --input's, a file's or stdin's):
 * `{"instances": [...]}`,
 * a list of rows, or one row (a list of numbers, or an object of named features), or one row
 * written plainly (`5.1 3.5 1.4 0.2` or `5.1,3.5,1.4,0.2`). Other text that is not JSON is refused
 * naming what to write instead; several CSV lines are answered with their JSON form.
 *
 * @example
 * predictRows('[5.1, 3.5, 1.4, 0.2]', 'The input') // [[5.1, 3.5, 1.4, 0.2]]
 * predictRows('5.1 3.5 1.4 0.2', 'The input') // [[5.1, 3.5, 1.4, 0.2]]
 * predictRows('5.1,3.5\n6.7,3.0', 'rows.csv') // throws: rows.csv is comma-separated values, not JSON. ... (the first rows).
 */
export function predictRows(source: string, what: string, inline = what === 'The input'): unknown[] {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (err) {
    const row = plainRow(source);
    if (row) return [row];
    const json = csvAsJson(source);
    const example = (text: string) => (inline ? `--input '${text}'` : text);
    throw usageError(
      json
        ? `${what} is comma-separated values, not JSON. Write the rows as JSON, e.g. ${example(json)}${json.startsWith('[[') || json.startsWith('[{') ? ' (the first rows)' : ''}.`
        : `${what} is neither a row of numbers nor JSON (${(err as Error).message}). Write a row as numbers, e.g. ${example('5.1 3.5 1.4 0.2')}, or as JSON: a list, an object of named features, or a list of rows.`,
    );
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'instances' in doc) {
    return (doc as { instances: unknown[] }).instances;
  }
  if (Array.isArray(doc)) {
    const nested =
      doc.length > 0 && doc.every((r) => Array.isArray(r) || (r !== null && typeof r === 'object'));
    return nested ? doc : [doc];
  }
  if (doc !== null && typeof doc === 'object') return [doc];
  throw usageError(
    'The input must be a row (a list or an object of features), a list of rows, or {"instances": [...]}.',
  );
}
