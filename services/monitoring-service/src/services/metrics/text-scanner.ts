/**
 * A single-pass scanner for the Prometheus text exposition format (version 0.0.4).
 *
 * It walks the text by character codes instead of running a regular expression per
 * sample: a scrape of 1,000 series is scanned without building a label object per line.
 * The label block of a sample is only located (quotes and escapes honoured); turning it
 * into labels is left to `parseLabelBlock`, which callers run once per new series.
 */

export class TextFormatError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'TextFormatError';
  }
}

export interface ScanVisitor {
  /**
   * Optional fast path, tried first for each sample line [start, end): return true when the
   * line was fully handled (e.g. it matched a known series in place).
   */
  fastSample?(text: string, start: number, end: number, line: number): boolean;
  /** `# HELP name text` with the text already unescaped. */
  help(name: string, text: string, line: number): void;
  /** `# TYPE name type`; the type word is passed as written, lower-cased by the format. */
  type(name: string, type: string, line: number): void;
  /**
   * One sample. `series` is the line up to the end of the label block (`name{...}`), the
   * natural cache key of a series for a target; `labelBlock` is the text between the braces.
   */
  sample(
    name: string,
    series: string,
    labelBlock: string,
    value: number,
    timestampMs: number | undefined,
    line: number,
  ): void;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const HASH = 35;
const OPEN = 123;
const CLOSE = 125;
const QUOTE = 34;
const BACKSLASH = 92;

export function isMetricNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
}
export function isMetricNameChar(c: number): boolean {
  return isMetricNameStart(c) || (c >= 48 && c <= 57);
}
export function isLabelNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
export function isLabelNameChar(c: number): boolean {
  return isLabelNameStart(c) || (c >= 48 && c <= 57);
}

/**
 * Parses a sample value: a Go float literal, `NaN`, `+Inf`, `-Inf` (any case).
 * Returns undefined for text that is not a value.
 */
export function parseSampleValue(text: string): number | undefined {
  if (text.length === 0) return undefined;
  const n = Number(text);
  if (!Number.isNaN(n)) {
    // Number() also takes binary and octal literals, which are not Go floats.
    const c = text.charCodeAt(0);
    if (c === 48 && text.length > 1) {
      const p = text.charCodeAt(1) | 32;
      if (p === 98 || p === 111) return undefined;
    }
    return n;
  }
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === '+inf' || lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === '-inf') return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Unescapes HELP text: `\\` and `\n` only, as the format defines. */
function unescapeHelp(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      const n = text[i + 1];
      if (n === 'n') {
        out += '\n';
        i++;
        continue;
      }
      if (n === '\\') {
        out += '\\';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== TAB) break;
    i++;
  }
  return i;
}

function readToken(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) break;
    i++;
  }
  return i;
}

function scanComment(text: string, start: number, end: number, lineNo: number, visitor: ScanVisitor): void {
  let i = skipBlanks(text, start + 1, end);
  const kwEnd = readToken(text, i, end);
  const keyword = text.slice(i, kwEnd);
  if (keyword !== 'HELP' && keyword !== 'TYPE') return; // an ordinary comment
  i = skipBlanks(text, kwEnd, end);
  const nameEnd = readToken(text, i, end);
  const name = text.slice(i, nameEnd);
  if (name.length === 0 || !isMetricNameStart(name.charCodeAt(0))) {
    throw new TextFormatError(lineNo, `# ${keyword} needs a metric name`);
  }
  for (let k = 1; k < name.length; k++) {
    if (!isMetricNameChar(name.charCodeAt(k))) {
      throw new TextFormatError(lineNo, `invalid metric name "${name}" in # ${keyword}`);
    }
  }
  if (keyword === 'HELP') {
    // Exactly one separator is consumed; the rest of the line, spaces included, is the text.
    const textStart = nameEnd < end ? nameEnd + 1 : end;
    visitor.help(name, unescapeHelp(text.slice(textStart, end)), lineNo);
    return;
  }
  i = skipBlanks(text, nameEnd, end);
  const typeEnd = readToken(text, i, end);
  const type = text.slice(i, typeEnd);
  if (skipBlanks(text, typeEnd, end) !== end) {
    throw new TextFormatError(lineNo, `unexpected text after the type of "${name}"`);
  }
  visitor.type(name, type, lineNo);
}

/** Returns the index of the closing brace of a label block that opens at `open`. */
function findLabelBlockEnd(text: string, open: number, end: number, lineNo: number): number {
  let i = open + 1;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === CLOSE) return i;
    if (c === QUOTE) {
      i++;
      while (i < end) {
        const q = text.charCodeAt(i);
        if (q === BACKSLASH) {
          i += 2;
          continue;
        }
        if (q === QUOTE) break;
        i++;
      }
      if (i >= end) throw new TextFormatError(lineNo, 'unterminated label value');
    }
    i++;
  }
  throw new TextFormatError(lineNo, 'label set is not closed with "}"');
}

function isIntegerText(text: string): boolean {
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= text.length) return false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Reads the value and optional timestamp that follow a series at `i` (which must be at the
 * blank after the series text), checking the rest of the line.
 */
export function scanValue(
  text: string,
  i: number,
  end: number,
  lineNo: number,
  name: string,
): { value: number; timestampMs: number | undefined } {
  const valueStart = skipBlanks(text, i, end);
  if (valueStart === i && i < end) {
    throw new TextFormatError(lineNo, `expected a space before the value of "${name}"`);
  }
  if (valueStart >= end) throw new TextFormatError(lineNo, `sample "${name}" has no value`);
  const valueEnd = readToken(text, valueStart, end);
  const valueText = text.slice(valueStart, valueEnd);
  const value = parseSampleValue(valueText);
  if (value === undefined) {
    throw new TextFormatError(lineNo, `invalid value "${valueText}" for "${name}"`);
  }
  let timestampMs: number | undefined;
  const tsStart = skipBlanks(text, valueEnd, end);
  if (tsStart < end) {
    const tsEnd = readToken(text, tsStart, end);
    const tsText = text.slice(tsStart, tsEnd);
    const ts = Number(tsText);
    if (!Number.isSafeInteger(ts) || !isIntegerText(tsText)) {
      throw new TextFormatError(lineNo, `invalid timestamp "${tsText}" for "${name}"`);
    }
    timestampMs = ts;
    if (skipBlanks(text, tsEnd, end) !== end) {
      throw new TextFormatError(lineNo, `unexpected text after the timestamp of "${name}"`);
    }
  }
  return { value, timestampMs };
}

function scanSample(text: string, start: number, end: number, lineNo: number, visitor: ScanVisitor): void {
  let i = start;
  if (!isMetricNameStart(text.charCodeAt(i))) {
    throw new TextFormatError(
      lineNo,
      `invalid metric name at "${text.slice(start, Math.min(end, start + 40))}"`,
    );
  }
  i++;
  while (i < end && isMetricNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(start, i);
  let labelBlock = '';
  let seriesEnd = i;
  const afterName = skipBlanks(text, i, end);
  if (afterName < end && text.charCodeAt(afterName) === OPEN) {
    const close = findLabelBlockEnd(text, afterName, end, lineNo);
    labelBlock = text.slice(afterName + 1, close);
    seriesEnd = close + 1;
    i = close + 1;
  }
  const { value, timestampMs } = scanValue(text, i, end, lineNo, name);
  visitor.sample(name, text.slice(start, seriesEnd), labelBlock, value, timestampMs, lineNo);
}

/**
 * Scans a whole exposition, calling the visitor per HELP, TYPE and sample line.
 * A missing trailing newline and CRLF line ends are accepted.
 *
 * @example
 * scanText('up{job="a"} 1\n', { help() {}, type() {}, sample: (n, s, l, v) => console.log(n, v) });
 */
export function scanText(text: string, visitor: ScanVisitor): void {
  const length = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < length) {
    lineNo++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    const first = skipBlanks(text, start, end);
    if (first < end) {
      if (text.charCodeAt(first) === HASH) scanComment(text, first, end, lineNo, visitor);
      else if (!visitor.fastSample?.(text, first, end, lineNo)) scanSample(text, first, end, lineNo, visitor);
    }
    start = next;
  }
}
