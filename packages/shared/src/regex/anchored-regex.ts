import { RE2JS } from 're2js';

/**
 * Regular expressions that come from outside the code (a request, a rule, a config file) are
 * compiled here and nowhere else. JavaScript's RegExp backtracks: `(.*)*Z` against a long
 * label value never returns and freezes the process. RE2 (here its pure-JavaScript port,
 * re2js, which needs no native build) matches in time linear in the input and refuses the
 * constructs that need backtracking (backreferences, lookarounds) at compile time.
 *
 * Patterns are fully anchored, as Prometheus and Alertmanager anchor label matchers: `5..`
 * matches `500` but not `1500`.
 */
export class RegexSyntaxError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`"${pattern}" is not a valid RE2 regular expression: ${reason}`);
    this.name = 'RegexSyntaxError';
  }
}

export interface AnchoredRegex {
  readonly source: string;
  /** True when the whole of `value` matches. */
  test(value: string): boolean;
}

export interface AnchoredRegexOptions {
  /** `.` matches newlines too, as in Prometheus 3 (default true). */
  dotAll?: boolean;
  /** Longest pattern accepted, in characters (default 4096). */
  maxLength?: number;
}

/** RE2's metacharacters: a pattern without any is a literal. */
const META = /[\\.+*?()|[\]{}^$]/;
/** Alternatives of plain literals, optionally in one group: `a|b|c`, `(?:a|b)`, `(a|b)`. */
const LITERAL_ALTERNATION = /^(?:\(\?:|\()?([^\\.+*?()|[\]{}^$]*(?:\|[^\\.+*?()|[\]{}^$]*)+)\)?$/;
/** RE2 rejects repeat counts above 1000 itself; this bounds the memo's value size. */
const MEMO_VALUE_MAX = 256;
const MEMO_ENTRIES_MAX = 4096;

function literalAlternatives(pattern: string): string[] | undefined {
  const m = LITERAL_ALTERNATION.exec(pattern);
  if (!m) return undefined;
  const grouped = pattern.startsWith('(');
  if (grouped !== pattern.endsWith(')')) return undefined;
  return m[1]!.split('|');
}

/**
 * Compiles `pattern` as a fully anchored RE2 expression, or throws RegexSyntaxError saying why.
 *
 * Literal patterns and alternations of literals are answered without the regex engine, and
 * other patterns remember their answers for the last few thousand short values: label values
 * repeat across series, and re2js costs about five times a RegExp per test
 * (`npm run bench -w monitoring-service` prints the ratio).
 *
 * @example
 * const re = compileAnchoredRegex('5..');
 * re.test('503'); // true
 * re.test('1503'); // false
 * compileAnchoredRegex('(a)\\1'); // throws RegexSyntaxError: backreferences are not RE2
 */
export function compileAnchoredRegex(pattern: string, options: AnchoredRegexOptions = {}): AnchoredRegex {
  const maxLength = options.maxLength ?? 4096;
  if (pattern.length > maxLength) {
    throw new RegexSyntaxError(
      `${pattern.slice(0, 40)}…`,
      `it is ${pattern.length} characters long; at most ${maxLength} are accepted`,
    );
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, options.dotAll === false ? 0 : RE2JS.DOTALL);
  } catch (err) {
    throw new RegexSyntaxError(pattern, describe(err));
  }
  if (!META.test(pattern)) return { source: pattern, test: (v) => v === pattern };
  const alternatives = literalAlternatives(pattern);
  if (alternatives) {
    const set = new Set(alternatives);
    return { source: pattern, test: (v) => set.has(v) };
  }
  if (pattern === '.*' && options.dotAll !== false) return { source: pattern, test: () => true };
  if (pattern === '.+' && options.dotAll !== false) return { source: pattern, test: (v) => v.length > 0 };
  const memo = new Map<string, boolean>();
  return {
    source: pattern,
    test(value) {
      const known = memo.get(value);
      if (known !== undefined) return known;
      const result = compiled.testExact(value);
      if (value.length <= MEMO_VALUE_MAX) {
        if (memo.size >= MEMO_ENTRIES_MAX) memo.clear();
        memo.set(value, result);
      }
      return result;
    },
  };
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.replace(/^error parsing regexp:\s*/, '');
  if (/\\[1-9]/.test(reason) || /invalid escape sequence: `\\[1-9]/.test(reason))
    return `${reason} (backreferences are not supported)`;
  if (/\(\?[=!<]/.test(reason)) return `${reason} (lookaheads and lookbehinds are not supported)`;
  return reason;
}
