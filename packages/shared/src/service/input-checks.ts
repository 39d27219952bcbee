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
    if (bad(key)) return `${path}.${key.replaceAll('\u0000', '')}`;
    const found = findValue(inner, `${path}.${key}`, bad, depth + 1);
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
 * Refuses, by name, input no route can use:
 * - a NUL character anywhere (PostgreSQL text cannot hold it, and no field has a use for it);
 * - `Infinity`/`-Infinity` in a query string or path parameter. Ajv's type coercion turns the
 *   text "Infinity" into the number and its range checks skip non-finite numbers, so
 *   `?limit=Infinity` passes `{ type: 'integer', maximum: 200 }` and reached a database as a
 *   500. Bodies are not walked for this: a JSON number cannot be Infinity, and the inference
 *   routes take non-finite tensor values on purpose.
 */
export function installInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const where =
      findValue(request.params, 'params', hasNul) ??
      findValue(request.query, 'querystring', hasNul) ??
      nulPath(request.body, 'body');
    if (where) throw commonErrors.BAD_REQUEST({ message: `${where} contains a NUL character; remove it.` });
  });
  // After validation: the numbers are the ones coercion made.
  app.addHook('preHandler', async (request) => {
    const where =
      findValue(request.params, 'params', nonFinite) ?? findValue(request.query, 'querystring', nonFinite);
    if (where) throw commonErrors.BAD_REQUEST({ message: `${where} must be a finite number.` });
  });
}
