import type { FastifyRequest } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';

/** The callback form of a string body parser, which `getDefaultJsonParser` returns. */
type Parser = (
  request: FastifyRequest,
  body: string,
  done: (err: Error | null, body?: unknown) => void,
) => void;

/**
 * Fastify's JSON body parser with one reason told apart: it refuses a `__proto__` key (and a
 * `constructor.prototype` pair) as prototype poisoning, but reports that as "not valid JSON",
 * which sends a caller hunting for a syntax error that is not there. A refused body that is valid
 * JSON is answered with the key to remove instead. The extra parse runs only on the error path.
 *
 * @example
 * app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBodyParser(app.getDefaultJsonParser('error', 'error')));
 */
export function jsonBodyParser(stockParser: unknown): Parser {
  const stock = stockParser as Parser;
  return (request: FastifyRequest, body: string, done) =>
    stock(request, body, (err, value) => {
      if (err && (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY' && isJson(body)) {
        done(
          commonErrors.BAD_REQUEST({
            message:
              'The body has a "__proto__" key or a "constructor" key holding "prototype", which are refused (prototype poisoning); rename or remove the key.',
          }),
          undefined,
        );
        return;
      }
      done(err, value);
    });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
