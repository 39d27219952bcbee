import { commonErrors } from '../errors/define-errors.js';
import { invalidUtf8Offset } from '../http/caller-text.js';

/**
 * A request body's bytes as text, refusing any that are not UTF-8 with `INVALID_UTF8` (400, the
 * offset of the first bad byte). `buf.toString('utf8')` alone turns each bad byte into U+FFFD,
 * so a caller's data would be stored changed without a word.
 *
 * @example
 * app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_req, body, done) => done(null, utf8Body(body)));
 */
export function utf8Body(body: Buffer): string {
  const offset = invalidUtf8Offset(body);
  if (offset !== null) throw commonErrors.INVALID_UTF8({ offset });
  return body.toString('utf8');
}
