import type { FastifyRequest } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';
import { acceptedTypes } from './content-type-check.js';
import { overflowPath } from './input-checks.js';
import { utf8Body } from './utf8-body.js';

/** The callback form of a string body parser, which `getDefaultJsonParser` returns. */
type StringParser = (
  request: FastifyRequest,
  body: string,
  done: (err: Error | null, body?: unknown) => void,
) => void;

/** A body parser registered with `parseAs: 'buffer'`. */
export type BufferParser = (
  request: FastifyRequest,
  body: Buffer,
  done: (err: Error | null, body?: unknown) => void,
) => void;

/**
 * Fastify's JSON body parser, read from the bytes with three differences:
 * - a body that is not UTF-8 is refused with `INVALID_UTF8` and the offset of the first bad byte
 *   (decoded as a string by Fastify, each bad byte became U+FFFD and was stored so);
 * - an empty body on a route that takes none (no body schema: a DELETE, a GET, an action) is no
 *   body, as if the content type had not been sent: many clients send `application/json` on
 *   every request. A route that takes a body still answers that it needs one;
 * - a `__proto__` key (or a `constructor` key holding `prototype`) is refused as prototype
 *   poisoning with the key to remove, where Fastify reports "not valid JSON", which sends a
 *   caller hunting for a syntax error that is not there. The extra parse runs only on the error path;
 * - a number past a double's range (`1e999`), which `JSON.parse` reads as Infinity, is refused
 *   with its path.
 *
 * @example
 * app.addContentTypeParser('application/json', { parseAs: 'buffer' }, jsonBodyParser(app.getDefaultJsonParser('error', 'error')));
 */
export function jsonBodyParser(stockParser: unknown): BufferParser {
  const stock = stockParser as StringParser;
  return (request: FastifyRequest, body: Buffer, done) => {
    if (body.length === 0 && acceptedTypes(request) === null) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = utf8Body(body);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    stock(request, text, (err, value) => {
      if (err && (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' && isJson(text)) {
        done(
          commonErrors.BAD_REQUEST({
            message:
              'The body has a "__proto__" key or a "constructor" key holding "prototype", which are refused (prototype poisoning); rename or remove the key.',
          }),
          undefined,
        );
        return;
      }
      // A literal past a double's range ("1e999", 400 digits) parses as Infinity; only text
      // holding a long exponent or digit run can, so the walk runs for those alone.
      const overflow = err || !OVERFLOW_HINT.test(text) ? null : overflowPath(value, 'body');
      if (overflow) {
        done(
          commonErrors.BAD_REQUEST({
            message: `${overflow} is a number past the range of a 64-bit float (about ±1.8e308), which would be read as Infinity; send a number in range.`,
          }),
          undefined,
        );
        return;
      }
      done(err, value);
    });
  };
}

const OVERFLOW_HINT = /[eE]\+?\d{3}|\d{300}/;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
