import { compileAnchoredRegex, RegexSyntaxError } from '@opsmesh/shared';
import { type LabelPairs, pairValue } from './label-pairs.js';
import type { Labels } from './labels.js';
import { isLabelNameChar, isLabelNameStart, isMetricNameChar, isMetricNameStart } from './text-scanner.js';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

export class MatcherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherError';
  }
}

export interface CompiledMatcher extends Matcher {
  test(labelValue: string): boolean;
}

/**
 * Compiles a matcher. Regexes use RE2 (linear time, no backreferences or lookarounds) and are
 * anchored at both ends with `.` matching newlines too, as in Prometheus 3.
 */
export function compileMatcher(m: Matcher): CompiledMatcher {
  if (m.op === '=') return { ...m, test: (v) => v === m.value };
  if (m.op === '!=') return { ...m, test: (v) => v !== m.value };
  let re: ReturnType<typeof compileAnchoredRegex>;
  try {
    re = compileAnchoredRegex(m.value);
  } catch (err) {
    if (!(err instanceof RegexSyntaxError)) throw err;
    throw new MatcherError(
      `invalid regular expression in matcher ${m.name}${m.op}"${m.value}": ${err.reason}`,
    );
  }
  if (m.op === '=~') return { ...m, test: (v) => re.test(v) };
  return { ...m, test: (v) => !re.test(v) };
}

/** True when every matcher accepts the series; a missing label reads as "". */
export function matchesAll(name: string, labels: Labels, matchers: readonly CompiledMatcher[]): boolean {
  for (const m of matchers) {
    const v = m.name === '__name__' ? name : (labels[m.name] ?? '');
    if (!m.test(v)) return false;
  }
  return true;
}

/** matchesAll for a stored series' sorted pairs. */
export function matchesPairs(name: string, pairs: LabelPairs, matchers: readonly CompiledMatcher[]): boolean {
  for (const m of matchers) {
    const v = m.name === '__name__' ? name : (pairValue(pairs, m.name) ?? '');
    if (!m.test(v)) return false;
  }
  return true;
}

const OPS: MatchOp[] = ['=~', '!~', '!=', '='];

/**
 * Parses one matcher such as `status_code=~"5.."` (the value may also be unquoted).
 *
 * @example
 * parseMatcher('service!="gateway"') // { name: 'service', op: '!=', value: 'gateway' }
 */
export function parseMatcher(text: string): Matcher {
  const t = text.trim();
  let i = 0;
  if (!isLabelNameStart(t.charCodeAt(0)))
    throw new MatcherError(`matcher "${text}" must start with a label name`);
  while (i < t.length && isLabelNameChar(t.charCodeAt(i))) i++;
  const name = t.slice(0, i);
  const rest = t.slice(i).trimStart();
  const op = OPS.find((o) => rest.startsWith(o));
  if (!op) throw new MatcherError(`matcher "${text}" needs one of =, !=, =~, !~ after "${name}"`);
  let raw = rest.slice(op.length).trim();
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"'))
      throw new MatcherError(`matcher "${text}" has an unterminated value`);
    raw = raw.slice(1, -1).replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c));
  }
  const matcher = { name, op, value: raw };
  compileMatcher(matcher);
  return matcher;
}

/** Splits on commas that are outside double quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && inQuote) {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (c === ',' && !inQuote) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuote) throw new MatcherError('unterminated quoted value in selector');
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * Parses a series selector: `metric{label="v",other=~"re"}`, `metric`, or `{__name__="m"}`.
 *
 * @example
 * parseSelector('up{service="auth-service"}')
 * // [{ name: '__name__', op: '=', value: 'up' }, { name: 'service', op: '=', value: 'auth-service' }]
 */
export function parseSelector(text: string): Matcher[] {
  const t = text.trim();
  if (t.length === 0) throw new MatcherError('empty selector');
  let i = 0;
  const matchers: Matcher[] = [];
  if (isMetricNameStart(t.charCodeAt(0))) {
    while (i < t.length && isMetricNameChar(t.charCodeAt(i))) i++;
    matchers.push({ name: '__name__', op: '=', value: t.slice(0, i) });
  }
  const rest = t.slice(i).trim();
  if (rest.length > 0) {
    if (!rest.startsWith('{') || !rest.endsWith('}')) {
      throw new MatcherError(`selector "${text}" must be metric{matchers}`);
    }
    for (const part of splitTopLevel(rest.slice(1, -1))) matchers.push(parseMatcher(part));
  }
  if (matchers.length === 0) throw new MatcherError(`selector "${text}" selects nothing`);
  // PromQL refuses selectors that match every series; so do we, for the same cost reason.
  if (!matchers.some((m) => !compileMatcher(m).test(''))) {
    throw new MatcherError(`selector "${text}" needs at least one matcher that does not match empty values`);
  }
  return matchers;
}

/** The metric name a matcher set pins with `__name__="x"`, if any (used to pick an index). */
export function pinnedName(matchers: readonly Matcher[]): string | undefined {
  return matchers.find((m) => m.name === '__name__' && m.op === '=')?.value;
}
