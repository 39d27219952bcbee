import type { FastifyRequest } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';
import { invalidUtf8Offset } from '../http/caller-text.js';
import { utf8Body } from './utf8-body.js';

const hex = (c: number) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

/** What an answer calls a field's value: by its name only when that looks like one (it is caller text). */
const valueLabel = (name: string) =>
  /^[A-Za-z0-9_.:-]{1,64}$/.test(name) ? `The value of form field "${name}"` : 'A form field value';

/**
 * Percent-decodes one name or value as the URL standard's form parser does (`+` is a space, `%XX`
 * a byte, any other `%` itself), but refuses bytes that are not UTF-8 where `URLSearchParams`
 * would put U+FFFD in their place.
 */
function decodeField(text: string, what: () => string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  const bytes = Buffer.from(spaced, 'utf8');
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < bytes.length && hex(bytes[i + 1]!) && hex(bytes[i + 2]!)) {
      bytes[n++] = Number.parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16);
      i += 2;
    } else bytes[n++] = b;
  }
  const decoded = bytes.subarray(0, n);
  if (invalidUtf8Offset(decoded) !== null) {
    throw commonErrors.BAD_REQUEST({
      message: `${what()} has percent-escapes that do not decode to UTF-8 (such as a lone %FF); percent-encode the UTF-8 bytes of its text.`,
    });
  }
  return decoded.toString('utf8');
}

/**
 * The name/value pairs of an `application/x-www-form-urlencoded` body, in order, decoded as
 * `URLSearchParams` decodes them except that escapes which are not UTF-8 are refused with a 400
 * naming the field, instead of turned into U+FFFD.
 *
 * @example
 * formPairs('a=1&b=x+y%21') // [['a', '1'], ['b', 'x y!']]
 * formPairs('name=%FF') // throws BAD_REQUEST: The value of form field "name" has percent-escapes ...
 */
export function formPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeField(eq < 0 ? part : part.slice(0, eq), () => 'A form field name');
    const value = eq < 0 ? '' : decodeField(part.slice(eq + 1), () => valueLabel(name));
    pairs.push([name, value]);
  }
  return pairs;
}

/**
 * A body parser (`parseAs: 'buffer'`) for form bodies: an object of the fields, the last of a
 * repeated name winning; a body that is not UTF-8, or a field whose escapes are not, is refused.
 *
 * @example
 * app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, formBodyParser);
 */
export function formBodyParser(
  _request: FastifyRequest,
  body: Buffer,
  done: (err: Error | null, body?: unknown) => void,
): void {
  let fields: Record<string, string>;
  try {
    fields = Object.fromEntries(formPairs(utf8Body(body)));
  } catch (err) {
    done(err as Error, undefined);
    return;
  }
  done(null, fields);
}
