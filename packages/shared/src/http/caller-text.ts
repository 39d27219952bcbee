/**
 * Decoders for text a caller sent. Each one answers with a result instead of throwing, so a
 * malformed value becomes the 4xx its caller chooses rather than a 500 from `decodeURIComponent`'s
 * URIError or `JSON.parse`'s SyntaxError, and none repeats the text in what it returns (a header
 * or body may hold a secret).
 */

import { isUtf8 } from 'node:buffer';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NAME_LIKE = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/**
 * Whether a name the caller chose (a record key, an unknown field, an alert name) may be repeated
 * in an error: it looks like a field name (a letter or `_`, then letters, digits and `_.:-`, 64 at
 * most). Anything else may be a secret, a megabyte or markup, and is not repeated.
 *
 * @example
 * isNameLike('severity') // true
 * isNameLike('<b>x</b>') // false
 */
export function isNameLike(name: string): boolean {
  return NAME_LIKE.test(name);
}

/**
 * A caller-chosen name as an error path may show it: itself when {@link isNameLike} (or a list
 * index), else `*`.
 *
 * @example
 * nameForDetail('team') // 'team'
 * nameForDetail('a b') // '*'
 */
export function nameForDetail(name: string): string {
  return NAME_LIKE.test(name) || /^\d{1,9}$/.test(name) ? name : '*';
}
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/**
 * Percent-decodes `text` as UTF-8; null when an escape is malformed or the bytes are not UTF-8.
 *
 * @example
 * decodePercent('a%20b') // 'a b'
 * decodePercent('%E0%A4%A') // null
 */
export function decodePercent(text: string): string | null {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Decodes base64 (standard alphabet, padding optional) to UTF-8 text; null when the input is not
 * base64 or the bytes are not UTF-8. `Buffer.from(x, 'base64')` alone skips bad characters silently.
 *
 * @example
 * decodeBase64Text('aWQ6c2VjcmV0') // 'id:secret'
 */
export function decodeBase64Text(text: string): string | null {
  if (!BASE64.test(text)) return null;
  try {
    return utf8.decode(Buffer.from(text, 'base64'));
  } catch {
    return null;
  }
}

export type BasicCredentials =
  | { kind: 'absent' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'basic'; user: string; password: string };

/**
 * Reads `Authorization: Basic <base64(user:password)>` (RFC 7617). With `formEncoded` (OAuth 2
 * clients, RFC 6749 §2.3.1) the user and password are also form-decoded (`+` is a space). Any
 * other scheme is `absent`; a Basic value that does not decode is `malformed` with a reason
 * naming what to fix, never quoting the value.
 *
 * @example
 * parseBasicCredentials('Basic aWQ6c2VjcmV0') // { kind: 'basic', user: 'id', password: 'secret' }
 */
export function parseBasicCredentials(
  header: string | undefined,
  options: { formEncoded?: boolean } = {},
): BasicCredentials {
  const match = /^Basic(?:\s+(.*))?$/is.exec(header?.trim() ?? '');
  if (!match) return { kind: 'absent' };
  const decoded = decodeBase64Text((match[1] ?? '').trim());
  if (decoded === null) {
    return { kind: 'malformed', reason: 'The Basic credentials are not base64 of UTF-8 "id:secret".' };
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0) {
    return { kind: 'malformed', reason: 'The Basic credentials must be "id:secret", base64-encoded.' };
  }
  let user = decoded.slice(0, colon);
  let password = decoded.slice(colon + 1);
  if (options.formEncoded) {
    const formUser = decodePercent(user.replaceAll('+', ' '));
    const formPassword = decodePercent(password.replaceAll('+', ' '));
    if (formUser === null || formPassword === null) {
      return {
        kind: 'malformed',
        reason:
          'The Basic client id or secret has a malformed percent-escape; form-encode each one (RFC 6749 §2.3.1) before base64.',
      };
    }
    user = formUser;
    password = formPassword;
  }
  return { kind: 'basic', user, password };
}

/**
 * Parses JSON that should be an object; null for anything else (bad syntax, `null`, arrays,
 * numbers), so no caller reaches `body.type` of `null`.
 *
 * @example
 * parseJsonObject('{"a":1}') // { a: 1 }
 * parseJsonObject('null') // null
 */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The byte offset where `bytes` stop being UTF-8 (the start of the first ill-formed sequence, by
 * the rules a fatal `TextDecoder` applies: no overlongs, surrogates or code points past U+10FFFF),
 * or null when all of it is. A valid body costs one native pass; the walk below runs only on a bad one.
 *
 * @example
 * invalidUtf8Offset(Buffer.from('{"a":"é"}')) // null
 * invalidUtf8Offset(Buffer.from([0x7b, 0xff, 0x7d])) // 1
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | null {
  if (isUtf8(bytes)) return null;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The range the first continuation byte must fall in, and how many bytes follow the lead.
    let lo = 0x80;
    let hi = 0xbf;
    let follow: number;
    if (b >= 0xc2 && b <= 0xdf) follow = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      follow = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      follow = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + follow >= n) return i;
    const first = bytes[i + 1]!;
    if (first < lo || first > hi) return i;
    for (let k = 2; k <= follow; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += follow + 1;
  }
  return null;
}
