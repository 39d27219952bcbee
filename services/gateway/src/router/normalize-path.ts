/**
 * The one form of a request path that routes are matched on, plugins see and upstreams get
 * (RFC 3986 §6.2.2): percent-encoded unreserved characters decoded (`%6C` is `l`), every
 * other escape in upper-case hex, dot segments resolved (`%2e%2e` included), repeated
 * slashes merged. What would still read differently in different places is refused with the
 * reason, never guessed at: an encoded `/` or `\` inside a segment, a backslash, a NUL or
 * another control character, double encoding (`%252e`), bytes that are not UTF-8 (overlong
 * forms, surrogates, truncated sequences), raw non-ASCII, or `..` above the root.
 */
export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: string };

const HEX = '0123456789ABCDEF';

/** Characters a path may carry as they are: unreserved, sub-delims, ':' and '@' (RFC 3986 pchar), and '/'. */
const PLAIN = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")
  PLAIN[c.charCodeAt(0)] = 1;
/** The unreserved characters, which an escape must not hide. */
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')
  UNRESERVED[c.charCodeAt(0)] = 1;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

function byteAt(path: string, i: number): number {
  if (path.charCodeAt(i) !== 37) return -1;
  const hi = hexValue(path.charCodeAt(i + 1));
  const lo = hexValue(path.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

const percentByte = (byte: number) => `%${HEX[byte >> 4]}${HEX[byte & 15]}`;

/** Length of a valid UTF-8 sequence of escapes starting at `i` (lead byte `lead`), or 0. */
function utf8Length(path: string, i: number, lead: number): number {
  let n: number;
  let min: number;
  let cp: number;
  if (lead >= 0xc2 && lead <= 0xdf) [n, min, cp] = [2, 0x80, lead & 0x1f];
  else if (lead >= 0xe0 && lead <= 0xef) [n, min, cp] = [3, 0x800, lead & 0x0f];
  else if (lead >= 0xf0 && lead <= 0xf4) [n, min, cp] = [4, 0x10000, lead & 0x07];
  else return 0;
  for (let k = 1; k < n; k++) {
    const b = byteAt(path, i + 3 * k);
    if (b < 0x80 || b > 0xbf) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/** Whether the path needs no work: plain characters only, no escape, no dot or empty segment. */
function alreadyNormal(path: string): boolean {
  let prev = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128 || PLAIN[c] === 0) return false;
    if (c === 47 && prev === 47) return false;
    // "/." or "/.." as a whole segment
    if (c === 46 && prev === 47) {
      const next = i + 1 < path.length ? path.charCodeAt(i + 1) : 47;
      if (next === 47) return false;
      if (next === 46 && (i + 2 >= path.length || path.charCodeAt(i + 2) === 47)) return false;
    }
    prev = c;
  }
  return true;
}

/**
 * Normalises the path of a request target (without its query).
 *
 * @example
 * normalizePath('/api/auth/%6cogin')     // { ok: true, path: '/api/auth/login' }
 * normalizePath('/api/ml/a/%2e%2e/b')    // { ok: true, path: '/api/ml/b' }
 * normalizePath('/api/ml/a%2Fb')         // { ok: false, reason: 'has an encoded "/" (%2F) inside a segment; ...' }
 */
export function normalizePath(path: string): NormalizedPath {
  if (alreadyNormal(path)) return { ok: true, path };
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 37) {
      const byte = byteAt(path, i);
      if (byte < 0) return fail(`has a "%" not followed by two hex digits; write "%" itself as %25`);
      if (byte < 0x80 && UNRESERVED[byte] === 1) {
        out += String.fromCharCode(byte);
      } else if (byte === 0x2f || byte === 0x5c) {
        return fail(
          `has an encoded "${byte === 0x2f ? '/' : '\\'}" (${percentByte(byte)}) inside a segment, which services would read as a separator; send it without`,
        );
      } else if (byte < 0x20 || byte === 0x7f) {
        return fail(`contains a NUL or control character (${percentByte(byte)}); remove it`);
      } else if (
        byte === 0x25 &&
        hexValue(path.charCodeAt(i + 3)) >= 0 &&
        hexValue(path.charCodeAt(i + 4)) >= 0
      ) {
        return fail('is percent-encoded twice (%25 followed by hex digits); encode each character once');
      } else if (byte >= 0x80) {
        const n = utf8Length(path, i, byte);
        if (n === 0) return fail('has percent-encoded bytes that are not UTF-8; encode text as UTF-8');
        for (let k = 0; k < n; k++) out += percentByte(byteAt(path, i + 3 * k));
        i += 3 * n - 1;
        continue;
      } else {
        out += percentByte(byte);
      }
      i += 2;
    } else if (c === 92) {
      return fail('contains a backslash; separate segments with "/"');
    } else if (c < 0x20 || c === 0x7f) {
      return fail('contains a control character; remove it');
    } else if (c >= 0x80) {
      return fail('contains a raw non-ASCII character; send it percent-encoded as UTF-8');
    } else if (PLAIN[c] === 1) {
      out += path[i];
    } else {
      out += percentByte(c); // '"', '<', '>', '^', '`', '{', '|', '}' and space: one form, encoded
    }
  }
  return resolveSegments(out);
}

/** Drops empty and "." segments and resolves ".." (RFC 3986 §5.2.4), keeping a trailing slash. */
function resolveSegments(path: string): NormalizedPath {
  const parts = path.split('/');
  const kept: string[] = [];
  let trailing = false;
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i]!;
    const last = i === parts.length - 1;
    if (seg === '..') {
      if (kept.length === 0) return fail('climbs above the root with ".."; remove the dot segments');
      kept.pop();
      trailing = last;
    } else if (seg === '.' || seg === '') {
      trailing = last && kept.length > 0;
    } else {
      kept.push(seg);
      trailing = false;
    }
  }
  if (kept.length === 0) return { ok: true, path: '/' };
  return { ok: true, path: `/${kept.join('/')}${trailing ? '/' : ''}` };
}

function fail(reason: string): NormalizedPath {
  return { ok: false, reason };
}
