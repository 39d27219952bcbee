import { AppError } from '../errors/app-error.js';
import { isNameLike, nameForDetail } from '../http/caller-text.js';

/** One schema validation error as Ajv reports it (with `verbose`, the failing schema too). */
export interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  parentSchema?: { examples?: unknown[] } & Record<string, unknown>;
}

// Names a caller chose (record keys, unknown fields) are repeated only when they look like a field
// name: a form-posted JSON document becomes one "field" holding the whole body, password included.

/** Edit distance up to `max` (cheap early exit), for "did you mean". */
function closeTo(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]! <= max;
}

/** The path of the offending value, e.g. `body.labels.*` (a key that is not name-like is `*`). */
function pathOf(context: string | undefined, e: AjvLikeError): string {
  const base = (e.instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((s) => nameForDetail(s.replaceAll('~1', '/').replaceAll('~0', '~')));
  const missing = e.params?.['missingProperty'];
  if (typeof missing === 'string') base.push(missing);
  return [context, ...base].filter(Boolean).join('.') || 'request';
}

function unknownField(context: string | undefined, e: AjvLikeError, known: string[]) {
  const name = e.params?.['additionalProperty'];
  const path = pathOf(context, e);
  const near =
    typeof name === 'string' && isNameLike(name)
      ? known.find((k) => closeTo(name.toLowerCase(), k.toLowerCase(), 2))
      : undefined;
  const accepted = known.length ? `; accepted fields: ${known.slice(0, 20).join(', ')}` : '';
  if (near) return { field: `${path}.${name}`, message: `is not an accepted field; did you mean "${near}"?` };
  return { field: path, message: `has a field that is not accepted (its name is not repeated)${accepted}` };
}

const quote = (v: unknown) => JSON.stringify(v);

/** Allowed values and examples come from the schema, never from what the caller sent. */
function messageOf(e: AjvLikeError): string {
  if (e.keyword === 'required') return 'is required';
  if (e.keyword === 'enum' && Array.isArray(e.params?.['allowedValues'])) {
    return `must be one of ${(e.params['allowedValues'] as unknown[]).map(quote).join(', ')}`;
  }
  if (e.keyword === 'const') return `must be ${quote(e.params?.['allowedValue'])}`;
  if (e.keyword === 'pattern') {
    const example = e.parentSchema?.examples?.[0];
    const pattern = String(e.params?.['pattern'] ?? '');
    return example === undefined
      ? `must match the pattern ${pattern}`
      : `must look like ${quote(example)} (pattern ${pattern})`;
  }
  if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return 'matches none of the accepted forms';
  return e.message ?? 'is invalid';
}

/**
 * A union of literals fails once per literal ("must be equal to constant" seven times, then
 * "must match a schema in anyOf"): the values allowed at each path, to say once instead.
 */
function allowedByPath(errors: AjvLikeError[]): Map<string, unknown[]> {
  const allowed = new Map<string, unknown[]>();
  for (const e of errors) {
    if (e.keyword !== 'const') continue;
    const at = e.instancePath ?? '';
    allowed.set(at, [...(allowed.get(at) ?? []), e.params?.['allowedValue']]);
  }
  return allowed;
}

function collapsed(values: unknown[]): string {
  const unique = [...new Set(values.map(quote))];
  return unique.length === 1 ? `must be ${unique[0]}` : `must be one of ${unique.join(', ')}`;
}

/**
 * Turns Ajv's errors into one 400 problem listing each offending field. No value the caller sent
 * is repeated: Ajv's messages quote the schema, never the data, and caller-chosen names are kept
 * only when they look like field names.
 *
 * @example
 * validationProblem('body', [{ instancePath: '', keyword: 'required', params: { missingProperty: 'email' } }], {})
 * // detail: "body.email is required"
 */
export function validationProblem(
  context: string | undefined,
  errors: AjvLikeError[],
  schema: unknown,
): AppError {
  const allowed = allowedByPath(errors);
  const seen = new Set<string>();
  const fieldErrors = errors
    .map((e) => {
      if (e.keyword === 'additionalProperties') {
        return unknownField(context, e, propertiesAt(schema, e.instancePath ?? ''));
      }
      const values = allowed.get(e.instancePath ?? '');
      const union = values && (e.keyword === 'const' || e.keyword === 'anyOf' || e.keyword === 'oneOf');
      return { field: pathOf(context, e), message: union ? collapsed(values) : messageOf(e) };
    })
    .filter((f) => {
      const key = `${f.field}\u0000${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const summary = fieldErrors.map((f) => `${f.field} ${f.message}`).join('; ');
  return new AppError({
    code: 'VALIDATION_FAILED',
    status: 400,
    title: 'Invalid request',
    detail: summary.length > 500 ? `${summary.slice(0, 497)}...` : summary,
    fieldErrors: fieldErrors.slice(0, 50),
  });
}

/** The property names the schema accepts at an instance path (following `properties` only). */
function propertiesAt(schema: unknown, instancePath: string): string[] {
  let node = schema as { properties?: Record<string, unknown> } | undefined;
  for (const segment of instancePath.split('/').filter(Boolean)) {
    node = node?.properties?.[segment] as typeof node;
  }
  return node?.properties ? Object.keys(node.properties) : [];
}
