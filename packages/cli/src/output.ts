// Numbers, sizes, durations and ages are written by the console's own formatter, so the CLI and
// the console show the same value the same way.
import { percent } from '../../../web/lib/format.js';

export { ago, bytes as formatBytes, millis, sig as formatNumber } from '../../../web/lib/format.js';

/**
 * A ratio as the one percentage format of the CLI's output (the console's): no trailing zeros, "-"
 * when there is no value.
 *
 * @example
 * formatPercent(1) // '100%'; formatPercent(0.9) // '90%'; formatPercent(0.99912) // '99.91%'
 */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '-' : percent(ratio);
}

/** A table column: its heading and how to show a row's cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string;
}

/** Characters as a terminal shows them: escape sequences take no room. */
function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escape sequences is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/**
 * Rows as aligned columns under upper-case headings, two spaces apart; the last column is not padded.
 *
 * @example
 * table([{ name: 'iris' }], [{ header: 'name', cell: (r) => r.name }]) // 'NAME\niris'
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.cell(row).replace(/\s*\n\s*/g, ' ')));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => visibleLength(r[i] ?? ''))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat(widths[i]! - visibleLength(v))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

/** Where a command writes: machine JSON with --json, text for people otherwise. */
export interface Output {
  json: boolean;
  /** Writes `data` as JSON with --json, else the text `readable()` makes. */
  result(data: unknown, readable: () => string): void;
  /** A note for people on stderr (never in the way of --json output on stdout). */
  note(text: string): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    result(data, readable) {
      if (json) stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      else {
        const text = readable();
        if (text) stdout.write(`${text}\n`);
      }
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}
