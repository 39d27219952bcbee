import { editDistance } from './fuzzy.js';
import type { Entities } from './lexicon.js';

const split = (s: string) =>
  s
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
/** Entity keys whose values are names of things, not words of a closed list. */
const NAME_KEYS = ['service', 'model', 'alert', 'user'] as const;
/** Words that make a request polite but say nothing about it. */
export const POLITE: ReadonlySet<string> = new Set(
  'please pls plz now asap rn atm ok okay hey bot yo thanks thx ty again ops um umm uh uhh hmm hm erm'.split(
    ' ',
  ),
);

function hasDoubledExtra(longer: string, shorter: string): boolean {
  for (let i = 0; i < longer.length; i++)
    if (longer.slice(0, i) + longer.slice(i + 1) === shorter)
      return longer[i] === longer[i - 1] || longer[i] === longer[i + 1];
  return false;
}

function isTransposition(a: string, b: string): boolean {
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!];
}

/** One word removed (a letter dropped or two neighbours swapped): the slips cheap to undo by lookup. */
function deletes(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/**
 * The words of everyday chat about operations, counted from labelled messages with their entity
 * values left out (so `billing` in "is billing up?" is a name, not a word everybody uses). It
 * answers whether a word is everyday chat and corrects a word that is one slip from a common one.
 * Correction looks words up by their one-letter deletions (the SymSpell idea), so it costs a few
 * map lookups per unknown word rather than a scan of the vocabulary.
 *
 * @example
 * const words = EverydayWords.fromExamples([{ text: 'show the error rate', entities: {} }, ...]);
 * words.correct('eror') // 'error'
 */
export class EverydayWords {
  private readonly byDeletion = new Map<string, string[]>();

  private constructor(
    private readonly counts: Map<string, number>,
    /** Words that were a whole message by themselves, with the intent they meant ("alerts"). */
    private readonly alone: Map<string, string>,
  ) {
    for (const [word, n] of counts) {
      if (n < 2 || word.length < 4 || /\d/.test(word)) continue;
      for (const key of [word, ...deletes(word)]) {
        const list = this.byDeletion.get(key);
        if (list) list.push(word);
        else this.byDeletion.set(key, [word]);
      }
    }
  }

  static fromExamples(
    examples: readonly { text: string; intent: string; entities?: Entities }[],
  ): EverydayWords {
    const counts = new Map<string, number>();
    const alone = new Map<string, string>();
    // A word that names a service, model, alert or person in any message is a name wherever it
    // stands ("restart checkout" is off-topic, so unlabelled, yet checkout is still a name).
    const names = new Set<string>();
    for (const e of examples)
      for (const key of NAME_KEYS) {
        const v = e.entities?.[key as keyof Entities];
        if (typeof v === 'string') for (const w of split(v)) names.add(w);
      }
    for (const e of examples) {
      const words = split(e.text).filter((w) => !POLITE.has(w));
      if (words.length === 1 && !e.text.trim().startsWith('/')) alone.set(words[0]!, e.intent);
      const values: string[] = [];
      for (const v of Object.values(e.entities ?? {})) if (typeof v === 'string') values.push(...split(v));
      for (const w of split(e.text)) {
        if (names.has(w)) continue;
        // The surface of an entity, or a typo of it ("gatway" for gateway), is not everyday chat.
        if (values.some((v) => v === w || (w.length >= 4 && editDistance(v, w, 2) <= 2))) continue;
        counts.set(w, (counts.get(w) ?? 0) + 1);
      }
    }
    return new EverydayWords(counts, alone);
  }

  /** The word counts and one-word messages, sorted, as stored in `data/intent-model.json`. */
  toJSON(): { counts: Record<string, number>; alone: Record<string, string> } {
    const sorted = <T>(m: Map<string, T>) =>
      Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { counts: sorted(this.counts), alone: sorted(this.alone) };
  }

  static fromJSON(data: { counts: Record<string, number>; alone: Record<string, string> }): EverydayWords {
    return new EverydayWords(new Map(Object.entries(data.counts)), new Map(Object.entries(data.alone)));
  }

  /**
   * The intent a one-word message means, if that word (or a slip of it: "modles") was a whole
   * message in training: "alerts" is a command, "check" or "ok" alone are not.
   */
  aloneIntent(word: string): string | undefined {
    const direct = this.alone.get(word);
    if (direct !== undefined || word.length < 4) return direct;
    for (const [w, intent] of this.alone) if (w.length >= 4 && editDistance(w, word, 1) <= 1) return intent;
    return undefined;
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  /** How many training messages used the word outside an entity. */
  count(word: string): number {
    return this.counts.get(word) ?? 0;
  }

  /**
   * The common word (used at least twice) one slip away from an unknown word of four letters or
   * more: a letter missing, extra, wrong or two swapped. Undefined for known words and when two
   * common words are equally near.
   */
  correct(word: string): string | undefined {
    if (word.length < 4 || this.counts.has(word) || /\d/.test(word)) return undefined;
    const candidates = new Set<string>();
    for (const key of [word, ...deletes(word)])
      for (const w of this.byDeletion.get(key) ?? []) candidates.add(w);
    let best: string | undefined;
    let bestCount = 0;
    let tied = false;
    for (const c of candidates) {
      if (editDistance(c, word, 1) > 1) continue;
      // Four letters leave no room to tell a wrong letter from another word ("hist" is not "list").
      if (word.length === 4 && c.length === 4 && !isTransposition(word, c)) continue;
      // A word with one letter more is another word ("pasta", "scorer") unless the letter is doubled.
      if (word.length === c.length + 1 && !hasDoubledExtra(word, c)) continue;
      const n = this.counts.get(c)!;
      if (n > bestCount) {
        best = c;
        bestCount = n;
        tied = false;
      } else if (n === bestCount) tied = true;
    }
    return tied ? undefined : best;
  }
}
