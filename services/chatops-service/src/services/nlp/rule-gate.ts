/**
 * Tables of rewrite rules (a pattern and what replaces it) run over every message, and most
 * messages hold nothing any one rule looks for. A rule here runs only where the words its pattern
 * cannot match without are in the message (one of each set: "silence" and "please" for
 * `silence (\w+) please`; "thru" or "through" for `(?:thru|through)\s+put`). The words of every
 * rule of a table are found in one pass over the message, where running each rule's expression
 * cost several times more (`bench/chatops`). The words are read off each pattern once,
 * conservatively: a pattern they cannot be read from always runs.
 */

/**
 * A rewrite: a pattern and its replacement, and, where the pattern's own words cannot be read off
 * it (an anchored run, an alternation of phrases), the words one of which it needs, given by hand.
 */
export type Rewrite =
  | [RegExp, string, (readonly string[])?]
  | [RegExp, (match: string, ...groups: string[]) => string, (readonly string[])?];

const MIN_NEEDLE = 2;

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

/**
 * A word a match must hold. `wordStart`: the pattern puts no letter right before it (a `\b`, a
 * space, a mark, a lookbehind that refuses letters), so only an occurrence with no letter before it
 * can be part of a match; it matters for words of two letters, which stand inside many words.
 */
export interface Needle {
  text: string;
  wordStart: boolean;
}

const LITERAL = /[\p{L}\p{N} ']/u;
const WORDISH = /[\p{L}\p{N}]/u;
// A class or escape that matches no letter and no digit: after it, a word starts.
const EDGE_ATOM = /^(?:\\[sWbn t]|\\[^\w]|\[(?!\^)(?:\\s|\\[^\w]|[^\\\w\]-])+\])$/;
// A negative lookbehind that refuses letters ("(?<![\p{L}])", "(?<![\w-])", "(?<!\w)").
const REFUSES_LETTERS = /^\?<!(?:\\w|\\p\{L\}|\[[^\]^]*(?:\\w|\\p\{L\}|a-z)[^\]]*\])\)?$/;

/** What a sequence of atoms requires: one needle of each set; `edge` says whether its end is no letter. */
interface Scan {
  sets: Needle[][];
  /** Sets read from positive lookarounds: as required, but weaker words to index by. */
  around: Needle[][];
  edge: boolean;
}

/** The set most worth indexing by: the one whose shortest word is longest; a lookaround's only when no other. */
function bestSet(scan: Scan): Needle[] | undefined {
  const pick = (sets: Needle[][]) =>
    sets.reduce<Needle[] | undefined>((best, set) => {
      const shortest = (s: Needle[]) => Math.min(...s.map((n) => n.text.trim().length));
      return best === undefined || shortest(set) > shortest(best) ? set : best;
    }, undefined);
  return pick(scan.sets) ?? pick(scan.around);
}

/** The needles of a group: one set from each alternative, joined; undefined if one says nothing. */
function groupScan(body: string, edge: boolean): { set: Needle[] | undefined; edge: boolean } {
  const set: Needle[] = [];
  let after = true;
  let complete = true;
  for (const branch of branches(body)) {
    const scan = scanSequence(branch, edge);
    if (!scan) return { set: undefined, edge: false };
    after &&= scan.edge;
    const best = bestSet(scan);
    if (best) set.push(...best);
    else complete = false;
  }
  return { set: complete ? set : undefined, edge: after };
}

/**
 * Reads a sequence of atoms: the literal words it cannot match without (each with whether a letter
 * may stand right before it), stepping over what it cannot read; undefined for what it does not
 * understand.
 */
function scanSequence(src: string, edge: boolean): Scan | undefined {
  const sets: Needle[][] = [];
  const around: Needle[][] = [];
  let k = 0;
  while (k < src.length) {
    const c = src[k]!;
    if (c === '(') {
      const end = groupEnd(src, k);
      if (end < 0) return undefined;
      const q = quantifier(src, end);
      const inner = src.slice(k + 1, end - 1);
      k = Math.max(q.end, end);
      const look = /^\?(<?)([=!])/.exec(inner);
      if (look) {
        // A lookaround takes no text: its words are required only when it is positive.
        const body = inner.slice(look[0].length);
        if (look[2] === '=') {
          const scan = groupScan(body, look[1] ? false : edge);
          if (scan.set && !q.optional) around.push(scan.set);
          if (look[1] && scan.edge) edge = true;
        } else if (look[1] && REFUSES_LETTERS.test(inner)) edge = true;
        continue;
      }
      const scan = groupScan(inner.replace(/^\?:|^\?<[a-z]+>/i, ''), edge);
      if (scan.set && !q.optional) sets.push(scan.set);
      edge = q.optional ? edge && scan.edge : scan.edge;
      continue;
    }
    if (LITERAL.test(c)) {
      // A run of literal letters, up to (not into) one a quantifier makes optional.
      const wordStart = edge;
      let run = '';
      while (k < src.length && LITERAL.test(src[k]!)) {
        const ch = src[k]!;
        const q = quantifier(src, k + 1);
        if (q.end > k + 1) {
          if (!q.optional) run += ch;
          edge = q.optional ? edge && !WORDISH.test(ch) : !WORDISH.test(ch);
          k = q.end;
          break;
        }
        run += ch;
        edge = !WORDISH.test(ch);
        k++;
      }
      if (run.trim().length >= MIN_NEEDLE) sets.push([{ text: run.toLowerCase(), wordStart }]);
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
    const atom = src.slice(k, end);
    const q = quantifier(src, end);
    const edgeAfter =
      c === '^' || c === '$' || EDGE_ATOM.test(atom) || (!LITERAL.test(c) && !'\\[.'.includes(c));
    edge = q.optional ? edge && edgeAfter : edgeAfter;
    k = Math.max(q.end, end);
  }
  return { sets, around, edge };
}

/**
 * What any text the pattern matches must hold, lower-cased: one word of each set; undefined when
 * the pattern does not say (it then always runs). Only case-insensitive patterns, since the test
 * is on the lower-cased text. Alternatives of the whole pattern give one set, a word from each.
 */
function requirement(re: RegExp): Needle[][] | undefined {
  if (!re.flags.includes('i')) return undefined;
  const all = branches(re.source);
  if (all.length === 1) {
    const scan = scanSequence(all[0]!, false);
    const best = scan && bestSet(scan);
    if (!scan || !best) return undefined;
    return [best, ...[...scan.sets, ...scan.around].filter((set) => set !== best)];
  }
  const { set } = groupScan(re.source, false);
  return set && [set];
}

/**
 * The words, lower-cased, one of which must stand in any text the pattern matches (the set it is
 * indexed by); undefined when the pattern does not say.
 *
 * @example requiredWords(/\bfortnight\b/gi) // ['fortnight']
 * @example requiredWords(/\b(?:thru|through)\s+put\b/gi) // ['thru', 'through']
 */
export function requiredWords(re: RegExp): string[] | undefined {
  return requirement(re)?.[0]?.map((n) => n.text);
}

/** A table of rewrites with what each needs, read once, and every word they need indexed. */
export interface GatedRewrites {
  rules: readonly Rewrite[];
  /** Per rule: sets of words, one of each must stand in the text; undefined: the rule always runs. */
  required: readonly (readonly (readonly Needle[])[] | undefined)[];
  /** Every word some rule needs, once. */
  needles: readonly Needle[];
  /** Per rule: its sets as indexes into `needles`. */
  sets: readonly (readonly (readonly number[])[] | undefined)[];
  /** Per word: the rules whose first set holds it. */
  rulesOf: readonly (readonly number[])[];
  /**
   * Buckets by a hash of a word's first three letters (two for a word of two) → the words that
   * start so. Two starts that share a bucket cost one comparison more.
   */
  byStart: readonly (readonly number[] | undefined)[];
  /** Words of one character (a hyphen, an apostrophe), looked for on their own. */
  short: readonly number[];
  /** The rules that always run. */
  always: readonly number[];
  /**
   * Scratch marks, reused: a word is present, a rule seen, where its entry equals the stamp of the
   * current pass. A fresh typed array per message cost more than the rest of the gate.
   */
  marks: { found: Uint32Array; seen: Uint32Array; stamp: number };
}

// A hashed table of small integers, not a map keyed by the letters: read at every position of every
// message, a map lookup cost as much as the rules it saved (`bench/chatops`).
const BUCKETS = 1 << 14;
const pairAt = (text: string, at: number) =>
  ((text.charCodeAt(at) * 7_919 + text.charCodeAt(at + 1)) * 31 + 1) & (BUCKETS - 1);
const tripleAt = (text: string, at: number) =>
  ((text.charCodeAt(at) * 961 + text.charCodeAt(at + 1) * 31 + text.charCodeAt(at + 2)) * 40_503) &
  (BUCKETS - 1);

export function gate(rules: readonly Rewrite[]): GatedRewrites {
  // Words given by hand are one set, each standing where no letter is before it.
  const required = rules.map(([from, , words]) =>
    words ? [words.map((text) => ({ text, wordStart: true }))] : requirement(from),
  );
  const needles: Needle[] = [];
  const ids = new Map<string, number>();
  const rulesOf: number[][] = [];
  const idOf = (n: Needle) => {
    // Where a letter may stand before it matters only for a word of two letters (`hasNeedle`).
    const wordStart = n.wordStart && n.text.length === 2 && LETTER.test(n.text[0]!);
    const key = `${wordStart ? '^' : ''}${n.text}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = needles.push({ text: n.text, wordStart }) - 1;
      ids.set(key, id);
      rulesOf.push([]);
    }
    return id;
  };
  const always: number[] = [];
  const sets = required.map((found, i) => {
    if (!found) {
      always.push(i);
      return undefined;
    }
    const own = found.map((set) => [...new Set(set.map(idOf))]);
    for (const id of own[0]!) rulesOf[id]!.push(i);
    return own;
  });
  const byStart: number[][] = [];
  const short: number[] = [];
  needles.forEach(({ text }, id) => {
    if (text.length < 2) {
      short.push(id);
      return;
    }
    const key = text.length === 2 ? pairAt(text, 0) : tripleAt(text, 0);
    byStart[key] ??= [];
    byStart[key].push(id);
  });
  return {
    rules,
    required,
    needles,
    sets,
    rulesOf,
    byStart: Array.from({ length: BUCKETS }, (_, k) => byStart[k]),
    short,
    always,
    marks: { found: new Uint32Array(needles.length), seen: new Uint32Array(rules.length), stamp: 0 },
  };
}

const LETTER = /\p{L}/u;

/**
 * Which of the table's words stand in the lower-cased text, in one pass over it: at each position,
 * the words whose first letters stand there are compared in full. A word of two letters a pattern
 * puts at a word's start ("na", "er", "ce", a language's little words) counts only with no letter
 * before it: inside words two letters are everywhere ("understand" holds "er", "de" and "na").
 */
function present(lower: string, table: GatedRewrites, stamp: number): number[] {
  const { needles, byStart } = table;
  const { found } = table.marks;
  const list: number[] = [];
  for (let k = 0; k + 1 < lower.length; k++) {
    for (let pass = 0; pass < 2; pass++) {
      const bucket =
        pass === 0
          ? byStart[pairAt(lower, k)]
          : k + 2 < lower.length
            ? byStart[tripleAt(lower, k)]
            : undefined;
      if (bucket === undefined) continue;
      for (let j = 0; j < bucket.length; j++) {
        const id = bucket[j]!;
        if (found[id] === stamp) continue;
        const n = needles[id]!;
        if (!lower.startsWith(n.text, k)) continue;
        if (n.wordStart && k > 0 && LETTER.test(lower[k - 1]!)) continue;
        found[id] = stamp;
        list.push(id);
      }
    }
  }
  for (const id of table.short)
    if (lower.includes(needles[id]!.text)) {
      found[id] = stamp;
      list.push(id);
    }
  return list;
}

/**
 * The rules that may apply to the lower-cased text, in order: those that always run and those with
 * a word present of each of their sets.
 */
function candidates(lower: string, table: GatedRewrites): number[] {
  const stamp = ++table.marks.stamp;
  const ids = present(lower, table, stamp);
  const { found, seen } = table.marks;
  const marked = [...table.always];
  for (const id of ids) {
    const rules = table.rulesOf[id]!;
    for (let j = 0; j < rules.length; j++) {
      const i = rules[j]!;
      if (seen[i] === stamp) continue;
      seen[i] = stamp;
      if (holds(found, stamp, table.sets[i]!)) marked.push(i);
    }
  }
  return marked.sort((a, b) => a - b);
}

function holds(found: Uint32Array, stamp: number, sets: readonly (readonly number[])[]): boolean {
  for (let s = 0; s < sets.length; s++) {
    const set = sets[s]!;
    let any = false;
    for (let j = 0; j < set.length && !any; j++) any = found[set[j]!] === stamp;
    if (!any) return false;
  }
  return true;
}

/**
 * The rules of the table, in order, whose words all stand in the text (they may match; the others
 * cannot): for a table of patterns tested rather than applied.
 */
export function mayMatch(text: string, table: GatedRewrites): number[] {
  return candidates(text.toLowerCase(), table);
}

/** The text with every rule of the table applied in turn, each only where its words are. */
export function rewrite(text: string, table: GatedRewrites): string {
  let out = text;
  let rules = candidates(out.toLowerCase(), table);
  for (let r = 0; r < rules.length; r++) {
    const i = rules[r]!;
    const [from, to] = table.rules[i]!;
    const next = typeof to === 'string' ? out.replace(from, to) : out.replace(from, to);
    if (next !== out) {
      out = next;
      // The rules after this one that may apply to the text as it now is.
      rules = candidates(out.toLowerCase(), table).filter((j) => j > i);
      r = -1;
    }
  }
  return out;
}
