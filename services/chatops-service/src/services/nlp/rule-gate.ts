/**
 * Tables of rewrite rules (a pattern and what replaces it) run over every message, and most
 * messages hold nothing any one rule looks for. A rule here runs only where one of the words its
 * pattern cannot match without is in the message: a substring test costs a tenth of a regular
 * expression scan, and the tables hold hundreds of rules (measured in `bench/chatops`). The words
 * are read off each pattern once, conservatively: a pattern they cannot be read from always runs.
 */

/** A pattern and what replaces it: text with `$n` groups, or a function of the match and its groups. */
/**
 * A rewrite: a pattern and its replacement, and, where the pattern's own words cannot be read off
 * it (an anchored run, an alternation of phrases), the words one of which it needs, given by hand.
 */
export type Rewrite =
  | [RegExp, string, (readonly string[])?]
  | [RegExp, (match: string, ...groups: string[]) => string, (readonly string[])?];

const MIN_NEEDLE = 2;
const LETTER = /\p{L}/u;

/** The index just past the group that opens at `start` (a `(`), or -1. */
function groupEnd(src: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let k = start; k < src.length; k++) {
    const c = src[k];
    if (c === '\\') k++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k + 1;
  }
  return -1;
}

/** The index just past a quantifier at `at` (`?`, `*`, `+`, `{n,m}`, each maybe lazy), and whether it allows none. */
function quantifier(src: string, at: number): { end: number; optional: boolean } {
  const c = src[at];
  let end = at;
  let optional = false;
  if (c === '?' || c === '*') {
    end = at + 1;
    optional = true;
  } else if (c === '+') end = at + 1;
  else if (c === '{') {
    const m = /^\{(\d*)(?:,\d*)?\}/.exec(src.slice(at));
    if (m) {
      end = at + m[0].length;
      optional = m[1] === '' || Number(m[1]) === 0;
    }
  }
  if (end > at && src[end] === '?') end++;
  return { end, optional };
}

/** The top-level alternatives of a source (split at `|` outside groups and classes). */
function branches(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let k = 0; k < src.length; k++) {
    const c = src[k];
    if (c === '\\') k++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(from, k));
      from = k + 1;
    }
  }
  out.push(src.slice(from));
  return out;
}

/** The letters a literal run starts with, up to (not into) a letter a quantifier makes optional. */
function literalStart(src: string): string {
  let word = '';
  for (let k = 0; k < src.length; k++) {
    const c = src[k]!;
    if (!LETTER.test(c) && c !== ' ' && c !== "'") break;
    const q = quantifier(src, k + 1);
    if (q.end > k + 1) return q.optional ? word : word + c;
    word += c;
  }
  return word;
}

/**
 * The words one of which any match of a sequence must hold: those of its first required atom that
 * is a literal word or a group of literal alternatives; undefined when none can be read.
 */
function sequenceNeedles(src: string): string[] | undefined {
  let k = 0;
  while (k < src.length) {
    const c = src[k]!;
    if (c === '(') {
      const end = groupEnd(src, k);
      if (end < 0) return undefined;
      const q = quantifier(src, end);
      const inner = src.slice(k + 1, end - 1);
      const lookaround = /^\?<?[=!]/.test(inner);
      if (!lookaround && !q.optional) {
        const body = inner.replace(/^\?:|^\?<[a-z]+>/i, '');
        const words = branches(body).map((b) => (/^[\p{L} ']+$/u.test(b) ? b : literalStart(b)));
        if (words.every((w) => w.trim().length >= MIN_NEEDLE)) return words.map((w) => w.toLowerCase());
      }
      k = Math.max(q.end, end);
      continue;
    }
    if (LETTER.test(c)) {
      const word = literalStart(src.slice(k));
      if (word.trim().length >= MIN_NEEDLE) return [word.toLowerCase()];
      k += Math.max(1, word.length);
      k = Math.max(quantifier(src, k).end, k);
      continue;
    }
    // Anything else is one atom to step over: an escape, a class, `.`, `^`, `$`, a literal
    // punctuation mark; with its quantifier.
    let end = k + 1;
    if (c === '\\') {
      const e = src[k + 1];
      if (e === 'p' || e === 'P' || (e === 'u' && src[k + 2] === '{')) end = src.indexOf('}', k) + 1;
      else if (e === 'u') end = k + 6;
      else if (e === 'x') end = k + 4;
      else if (e === 'k') end = src.indexOf('>', k) + 1;
      else end = k + 2;
    } else if (c === '[') {
      let j = k + 1;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      end = j + 1;
    }
    if (end <= k) return undefined;
    k = Math.max(quantifier(src, end).end, end);
  }
  return undefined;
}

/**
 * The words, lower-cased, one of which must stand in any text the pattern matches; undefined
 * when the pattern does not say (it then always runs). Only case-insensitive patterns, since the
 * test is on the lower-cased text.
 *
 * @example requiredWords(/\bfortnight\b/gi) // ['fortnight']
 * @example requiredWords(/\b(?:thru|through)\s+put\b/gi) // ['thru', 'through']
 */
export function requiredWords(re: RegExp): string[] | undefined {
  if (!re.flags.includes('i')) return undefined;
  const all: string[] = [];
  for (const branch of branches(re.source)) {
    const words = sequenceNeedles(branch);
    if (!words) return undefined;
    all.push(...words);
  }
  return all;
}

/** A table of rewrites with the words each needs, read once, indexed by their first two letters. */
export interface GatedRewrites {
  rules: readonly Rewrite[];
  needles: readonly (readonly string[] | undefined)[];
  /** The first two letters of a needle (as one number) → the rules one of whose needles begins so. */
  byPair: ReadonlyMap<number, readonly number[]>;
  /** Rules with a needle of one character (a hyphen, an apostrophe): tested by that character alone. */
  single: readonly number[];
}

const pair = (text: string, at: number) => text.charCodeAt(at) * 65_536 + text.charCodeAt(at + 1);

export function gate(rules: readonly Rewrite[]): GatedRewrites {
  const needles = rules.map(([from, , words]) => words ?? requiredWords(from));
  const byPair = new Map<number, number[]>();
  const single: number[] = [];
  needles.forEach((words, i) => {
    if (words?.some((w) => w.length < 2)) single.push(i);
    for (const w of words ?? []) {
      if (w.length < 2) continue;
      const key = pair(w, 0);
      const list = byPair.get(key) ?? [];
      if (list.at(-1) !== i) list.push(i);
      byPair.set(key, list);
    }
  });
  return { rules, needles, byPair, single };
}

/**
 * The rules of a table that may apply to a text: those with no needles, and those one of whose
 * needles starts with two letters standing together in the text (one pass over the text, where
 * testing every needle of every rule would be hundreds of substring searches).
 */
function candidates(lower: string, table: GatedRewrites): Uint8Array {
  const marked = new Uint8Array(table.rules.length);
  for (const i of table.single) marked[i] = 1;
  for (let k = 0; k + 1 < lower.length; k++) {
    const hit = table.byPair.get(pair(lower, k));
    if (hit) for (const i of hit) marked[i] = 1;
  }
  return marked;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/**
 * Whether the lower-cased text holds a needle. A needle of two letters (a word of another language:
 * "na", "er", "ce", or an ending after a hyphen: "-ul") stands in these patterns after a space, a
 * hyphen or the start, never inside a word, so only such an occurrence counts: inside words two
 * letters are everywhere ("understand" holds "er", "de" and "na") and would run the rule anyway.
 */
function hasNeedle(lower: string, needle: string): boolean {
  if (needle.length !== 2 || !WORD_CHAR.test(needle[0]!)) return lower.includes(needle);
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1))
    if (at === 0 || !WORD_CHAR.test(lower[at - 1]!)) return true;
  return false;
}

/** The text with every rule of the table applied in turn, each only where its words are. */
export function rewrite(text: string, table: GatedRewrites): string {
  let out = text;
  let lower = out.toLowerCase();
  let marked = candidates(lower, table);
  for (let i = 0; i < table.rules.length; i++) {
    const words = table.needles[i];
    if (words !== undefined && (marked[i] === 0 || !words.some((w) => hasNeedle(lower, w)))) continue;
    const [from, to] = table.rules[i]!;
    const next = typeof to === 'string' ? out.replace(from, to) : out.replace(from, to);
    if (next !== out) {
      out = next;
      lower = out.toLowerCase();
      marked = candidates(lower, table);
    }
  }
  return out;
}
