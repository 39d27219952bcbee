import type { FastifyInstance } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';

/**
 * The path of the first value in a parsed body, query or params that `bad` refuses, or null.
 * Only parsed values are walked (32 levels at most): streams and buffers are skipped.
 */
function findValue(value: unknown, path: string, bad: (v: unknown) => boolean, depth = 0): string | null {
  if (bad(value)) return path;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findValue(value[i], `${path}.${i}`, bad, depth + 1);
      if (found) return found;
    }
    return null;
  }
  // A proxied body is a stream: its object graph (sockets, buffers) is not user input.
  if (typeof (value as { pipe?: unknown }).pipe === 'function' || ArrayBuffer.isView(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    // A key is the caller's text: named in full up to 40 characters (the problem is logged).
    const named = key.length > 40 ? `${key.slice(0, 37)}...` : key;
    if (bad(key)) return `${path}.${named.replaceAll('\u0000', '')}`;
    const found = findValue(inner, `${path}.${named}`, bad, depth + 1);
    if (found) return found;
  }
  return null;
}

const hasNul = (v: unknown) => typeof v === 'string' && v.includes('\u0000');
const nonFinite = (v: unknown) => typeof v === 'number' && !Number.isFinite(v);

/**
 * The path of the first string or key holding a NUL character in a parsed value, or null: what
 * the check below refuses, for a route that reads its body outside Fastify's hooks.
 *
 * @example
 * nulPath({ inputs: [{ name: 'x\u0000' }] }, 'body'); // 'body.inputs.0.name'
 */
export function nulPath(value: unknown, path: string): string | null {
  return findValue(value, path, hasNul);
}

/**
 * The path of the first number in a value parsed from JSON text that is not finite, or null: JSON
 * has no Infinity, but `JSON.parse` reads a literal past a double's range (`1e999`) as one, and
 * a string field's coercion then stored the text "Infinity".
 *
 * @example overflowPath({ a: [1, 1e999] }, 'body'); // 'body.a.1'
 */
export function overflowPath(value: unknown, path: string): string | null {
  return findValue(value, path, nonFinite);
}

/** A whole number as people and clients write one in a URL: digits, with a sign at most. */
const DECIMAL_INTEGER = /^[+-]?[0-9]+$/;
/** A number in a URL: decimal digits with a point and an exponent at most (no hex, no spaces). */
const DECIMAL_NUMBER = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

const INFINITY = /^[+-]?Infinity$/;

type PropertySchemas = Record<string, { type?: unknown } | undefined>;

/**
 * The first query or path parameter whose schema wants a number but whose text is not one
 * written in decimal, or null. Ajv's coercion reads text with JavaScript's `Number`, so
 * `/versions/1e3` was version 1000, `0x10` was 16 and `?limit= 7` was 7: a caller's typo became
 * another resource rather than a 400.
 */
function looseNumber(values: unknown, schema: unknown, where: string): string | null {
  const properties = (schema as { properties?: PropertySchemas } | undefined)?.properties;
  if (!properties || values === null || typeof values !== 'object') return null;
  for (const [key, text] of Object.entries(values)) {
    const type = properties[key]?.type;
    if (typeof text !== 'string' || (type !== 'integer' && type !== 'number')) continue;
    // "Infinity" is left to the finite-number check after validation, which names it so.
    if (INFINITY.test(text) || (type === 'integer' ? DECIMAL_INTEGER : DECIMAL_NUMBER).test(text)) continue;
    // (What was sent is not repeated: rejected requests' problems are logged.)
    return `${where}.${key} must be ${type === 'integer' ? 'a whole number written in decimal digits' : 'a decimal number'}, such as 12.`;
  }
  return null;
}

/**
 * Refuses, by name, input no route can use:
 * - a NUL character anywhere (PostgreSQL text cannot hold it, and no field has a use for it);
 * - a number parameter not written in decimal (`1e3`, `0x10`, ` 7`), which coercion would read;
 * - `Infinity`/`-Infinity` in a query string or path parameter. Ajv's type coercion turns the
 *   text "Infinity" into the number and its range checks skip non-finite numbers, so
 *   `?limit=Infinity` passes `{ type: 'integer', maximum: 200 }` and reached a database as a
 *   500. Bodies are not walked for this: the JSON body parser refuses a number past a double's
 *   range itself (`overflowPath`), and the inference routes take Python's NaN and Infinity
 *   literals on purpose.
 */
export function installInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where =
      findValue(request.params, 'params', hasNul) ??
      findValue(request.query, 'querystring', hasNul) ??
      nulPath(request.body, 'body');
    if (where) throw commonErrors.BAD_REQUEST({ message: `${where} contains a NUL character; remove it.` });
    const schema = request.routeOptions.schema;
    if (!schema) return;
    const loose =
      looseNumber(request.params, schema.params, 'params') ??
      looseNumber(request.query, schema.querystring, 'querystring');
    if (loose) throw commonErrors.BAD_REQUEST({ message: loose });
  });
  // After validation: the numbers are the ones coercion made.
  app.addHook('preHandler', async (request) => {
    const where =
      findValue(request.params, 'params', nonFinite) ?? findValue(request.query, 'querystring', nonFinite);
    if (where) throw commonErrors.BAD_REQUEST({ message: `${where} must be a finite number.` });
  });
}
