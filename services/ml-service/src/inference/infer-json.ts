/**
 * A JSON parser for inference request bodies (Open Inference Protocol and `/predict`). It builds
 * what `JSON.parse` builds, except inside tensor values: the `data` of each entry of the
 * top-level `inputs` array, and the top-level `instances`:
 * - a flat array of numbers comes back as a Float64Array holding the very same values;
 * - an integer literal beyond ±2^53 comes back as a BigInt with its exact value (INT64 and
 *   UINT64 tensors stay exact; a Float64Array is then not used for that array);
 * - the literals `NaN`, `Infinity` and `-Infinity`, which Python's `json.dumps` writes by
 *   default, are read as those numbers.
 *
 * Why: a single 512-feature row is ~3 KB of decimal numbers, and `JSON.parse` spends most of
 * its time there (a correctly rounded string-to-double per element), then leaves a boxed array
 * for the decoder to walk again. Here the common short decimals take Clinger's exact fast path
 * (an integer mantissa up to 2^53 divided by an exact power of ten up to 10^22 is rounded
 * once, so it equals the correctly rounded value); exponents and longer numbers go through
 * `Number()`.
 *
 * It reports one error itself, a number in tensor values beyond a double's range
 * ({@link NumberOutOfRangeError}). On anything else it does not accept (invalid JSON, a BOM, a
 * `__proto__` or `constructor` key, deep nesting) it returns NOT_PARSED, and the caller hands
 * the body to the stock parser, whose answer (value or error) stands unchanged.
 *
 * @example
 * parseInferJson(Buffer.from('{"inputs":[{"name":"x","datatype":"FP32","shape":[2],"data":[1,2.5]}]}'))
 * // { inputs: [{ name: 'x', datatype: 'FP32', shape: [2], data: Float64Array [1, 2.5] }] }
 */

export const NOT_PARSED: unique symbol = Symbol('not parsed');

/**
 * A number written in tensor values beyond a double's range (`1e999`), which `JSON.parse` and
 * Python read as ±Infinity. The one error the parser reports itself: the stock parser would
 * accept the body and the model would run on Infinity the caller never wrote (a finite value
 * past FP32's range is refused by the decoder likewise), answering NaN with a 200.
 */
export class NumberOutOfRangeError extends Error {
  constructor(readonly literal: string) {
    super(
      `The tensor value ${literal.length > 40 ? `${literal.slice(0, 37)}...` : literal} is beyond the range of a 64-bit float (about ±1.8e308) and would be read as Infinity; send a number in range, or "Infinity" / "-Infinity" if that is what you mean.`,
    );
    this.name = 'NumberOutOfRangeError';
  }
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const MAX_EXACT = 9007199254740991;
const MAX_DEPTH = 64;

class Reject extends Error {}
const reject = new Reject();

const EMPTY = Buffer.alloc(0);
let buf: Buffer = EMPTY;
let pos = 0;
let scratch = new Float64Array(1024);

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipWs(): number {
  let c = buf[pos]!;
  while (isWs(c)) c = buf[++pos]!;
  return c;
}

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

const JSON_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * The number at pos, any JSON number, by the runtime's own conversion (pos moves past it). In
 * tensor data, an integer too large for a double to hold exactly is a BigInt, and the non-finite
 * literals are numbers.
 */
function parseNumber(inData: boolean): number | bigint {
  const start = pos;
  let c = buf[pos]!;
  if (inData) {
    const nonFinite = nonFiniteLiteral();
    if (nonFinite !== undefined) return nonFinite;
  }
  // Every byte a JSON number may hold; the grammar is checked on the slice.
  while ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45)
    c = buf[++pos]!;
  const text = buf.toString('latin1', start, pos);
  if (!JSON_NUMBER.test(text)) throw reject;
  const value = Number(text);
  if (inData && !Number.isSafeInteger(value) && JSON_INTEGER.test(text)) return BigInt(text);
  if (inData && !Number.isFinite(value)) throw new NumberOutOfRangeError(text);
  return value;
}

const NAN = Buffer.from('NaN');
const INFINITY = Buffer.from('Infinity');
const MINUS_INFINITY = Buffer.from('-Infinity');

const startsWith = (word: Buffer, at: number) =>
  buf.compare(word, 0, word.length, at, at + word.length) === 0;

/** `NaN`, `Infinity` or `-Infinity` at pos (pos moves past it), else undefined. */
function nonFiniteLiteral(): number | undefined {
  const c = buf[pos];
  if (c === 0x4e && startsWith(NAN, pos)) {
    pos += NAN.length;
    return Number.NaN;
  }
  if (c === 0x49 && startsWith(INFINITY, pos)) {
    pos += INFINITY.length;
    return Number.POSITIVE_INFINITY;
  }
  if (c === 0x2d && buf[pos + 1] === 0x49 && startsWith(MINUS_INFINITY, pos)) {
    pos += MINUS_INFINITY.length;
    return Number.NEGATIVE_INFINITY;
  }
  return undefined;
}

function parseString(): string {
  // pos is on the opening quote.
  const start = ++pos;
  let plain = true;
  for (;;) {
    const c = buf[pos];
    if (c === undefined || c < 0x20) throw reject;
    if (c === 0x22) break;
    if (c === 0x5c) {
      plain = false;
      pos++;
      if (buf[pos] === undefined) throw reject;
    } else if (c >= 0x80) plain = false;
    pos++;
  }
  pos++;
  if (plain) return buf.toString('latin1', start, pos - 1);
  try {
    return JSON.parse(buf.toString('utf8', start - 1, pos)) as string;
  } catch {
    throw reject;
  }
}

/**
 * A flat array of numbers as a Float64Array, or null (pos untouched) when it is anything else.
 * The hot loop: locals only. A decimal of at most 15-16 digits and no exponent is converted
 * here exactly (see the top of the file); any other number goes to parseNumber.
 */
function tryNumberArray(): Float64Array | null {
  const b = buf;
  const start = pos;
  let p = pos + 1;
  let c = b[p]!;
  while (isWs(c)) c = b[++p]!;
  let n = 0;
  let out = scratch;
  while (c !== 0x5d) {
    const numberStart = p;
    const negative = c === 0x2d;
    if (negative) c = b[++p]!;
    let mantissa = 0;
    let scale = 0;
    if (c === 0x30) c = b[++p]!;
    else if (c >= 0x31 && c <= 0x39) {
      do {
        mantissa = mantissa * 10 + (c - 0x30);
        c = b[++p]!;
      } while (c >= 0x30 && c <= 0x39);
    } else if (c !== 0x4e && c !== 0x49) {
      // Not a number (a nested array, a string...): the generic parser takes the whole array.
      pos = start;
      return null;
    }
    if (c === 0x2e) {
      c = b[++p]!;
      if (!(c >= 0x30 && c <= 0x39)) throw reject;
      do {
        mantissa = mantissa * 10 + (c - 0x30);
        scale--;
        c = b[++p]!;
      } while (c >= 0x30 && c <= 0x39);
    }
    if (n === out.length) {
      const bigger = new Float64Array(n * 2);
      bigger.set(out);
      out = scratch = bigger;
    }
    // Past 2^53 the running mantissa may have rounded: exactness is judged on the final value,
    // which is at least as large as every intermediate one.
    // NaN and Infinity (c is N or I) take the general path too.
    if (c === 0x65 || c === 0x45 || c === 0x4e || c === 0x49 || mantissa > MAX_EXACT || scale < -22) {
      pos = numberStart;
      const v = parseNumber(true);
      if (typeof v === 'bigint') {
        // An integer a double cannot hold: the generic parser keeps it exact.
        pos = start;
        return null;
      }
      out[n++] = v;
      p = pos;
      c = b[p]!;
    } else {
      const v = scale === 0 ? mantissa : mantissa / POW10[-scale]!;
      out[n++] = negative ? -v : v;
    }
    while (isWs(c)) c = b[++p]!;
    if (c === 0x2c) {
      c = b[++p]!;
      while (isWs(c)) c = b[++p]!;
      if (c === 0x5d) throw reject;
    } else if (c !== 0x5d) throw reject;
  }
  pos = p + 1;
  return out.slice(0, n);
}

/** After a member: true past a comma (another follows), false past `close`, else a reject. */
function more(close: number): boolean {
  const c = skipWs();
  pos++;
  if (c === 0x2c) return true;
  if (c === close) return false;
  throw reject;
}

/** What an array or object holds: anything, the request's tensors, or tensor values. */
type Role = 'plain' | 'root' | 'tensors' | 'tensor' | 'data';

function parseArray(depth: number, role: Role): unknown[] {
  pos++;
  const out: unknown[] = [];
  if (skipWs() === 0x5d) {
    pos++;
    return out;
  }
  do {
    const c = skipWs();
    if (c === 0x7b && role === 'tensors') out.push(parseObject(depth + 1, 'tensor'));
    else out.push(parseValue(depth + 1, role === 'data'));
  } while (more(0x5d));
  return out;
}

/** Tensor values: a flat array of numbers as a Float64Array, anything else as parsed in data mode. */
function parseData(depth: number): unknown {
  if (skipWs() === 0x5b) return tryNumberArray() ?? parseArray(depth, 'data');
  return parseValue(depth, true);
}

/**
 * `/predict` rows: parsed as tensor values (rows of numbers as Float64Arrays), but the list of
 * rows itself stays an Array, which the route's schema checks: an empty list or a flat list of
 * numbers as typed storage would fail it as "must be array", which it is.
 */
function parseInstances(depth: number): unknown {
  const value = parseData(depth);
  return value instanceof Float64Array ? Array.from(value) : value;
}

function parseObject(depth: number, role: Role): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw reject;
  pos++;
  const out: Record<string, unknown> = {};
  if (skipWs() === 0x7d) {
    pos++;
    return out;
  }
  do {
    if (skipWs() !== 0x22) throw reject;
    const key = parseString();
    // The stock parser decides what these mean (it refuses prototype poisoning).
    if (key === '__proto__' || key === 'constructor') throw reject;
    if (skipWs() !== 0x3a) throw reject;
    pos++;
    const c = skipWs();
    let value: unknown;
    if (role === 'data' || (role === 'tensor' && key === 'data')) value = parseData(depth + 1);
    else if (role === 'root' && key === 'instances') value = parseInstances(depth + 1);
    else if (c === 0x5b && role === 'root' && key === 'inputs') value = parseArray(depth + 1, 'tensors');
    else value = parseValue(depth + 1, false);
    out[key] = value;
  } while (more(0x7d));
  return out;
}

function literal(word: string, value: unknown): unknown {
  for (let i = 0; i < word.length; i++) if (buf[pos + i] !== word.charCodeAt(i)) throw reject;
  pos += word.length;
  return value;
}

function parseValue(depth: number, inData: boolean): unknown {
  if (depth > MAX_DEPTH) throw reject;
  const c = skipWs();
  switch (c) {
    case 0x7b:
      return parseObject(depth, inData ? 'data' : 'plain');
    case 0x5b:
      return parseArray(depth, inData ? 'data' : 'plain');
    case 0x22:
      return parseString();
    case 0x74:
      return literal('true', true);
    case 0x66:
      return literal('false', false);
    case 0x6e:
      return literal('null', null);
    default:
      return parseNumber(inData);
  }
}

export function parseInferJson(body: Buffer): unknown {
  buf = body;
  pos = 0;
  try {
    const c = skipWs();
    const value = c === 0x7b ? parseObject(1, 'root') : parseValue(1, false);
    skipWs();
    return pos === body.length ? value : NOT_PARSED;
  } catch (err) {
    if (err === reject) return NOT_PARSED;
    throw err;
  } finally {
    buf = EMPTY;
  }
}
