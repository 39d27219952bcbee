import { conceptOf, isPastForm } from './concepts.js';

// Verbs whose particle changes the meaning: "roll back" undoes, "roll out" ships.
const PHRASAL =
  /\b(roll|rolled|rolling|back|go|goes|going|went|gone|bring|set|setting)\s+(back|out|forward|fwd|off)\b/g;
const PHRASAL_AS: Record<string, string> = {
  'roll back': 'rollback',
  'rolled back': 'rollback',
  'rolling back': 'rollback',
  'roll out': 'promote',
  'rolled out': 'promote',
  'rolling out': 'promote',
  'roll forward': 'promote',
  'roll fwd': 'promote',
  'back out': 'rollback',
  'go back': 'rollback',
  'going back': 'rollback',
  // An alarm "goes off": it fires.
  'go off': 'firing',
  'goes off': 'firing',
  'going off': 'firing',
  'went off': 'firing',
  'gone off': 'firing',
  'set off': 'firing',
  'setting off': 'firing',
};
const OPENERS = new Set(['can', 'could', 'would', 'please', 'pls', 'just', 'ok', 'okay', 'so', 'hey']);
const NEGATIONS = new Set(['stop', 'dont', 'quit', 'cease', 'no', 'never', 'without']);

/** A masked message's words, as the features read them. */
function featureWords(masked: string): string[] {
  return masked
    .replace(/->/g, ' to ')
    .replace(PHRASAL, (_, verb: string, particle: string) => PHRASAL_AS[`${verb} ${particle}`] ?? _)
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9_ ]+/g, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

/**
 * A masked message's features in two parts: those of each word by itself (`wordFeatures`, the same
 * wherever the word stands) and those of its place among the others (the leading verb, word pairs,
 * a negated concept). The classifier weighs a word's own features once per word it meets, not once
 * per message (`BlendedClassifier.rankMessage`).
 */
export function featureParts(masked: string): { words: string[]; context: string[] } {
  const words = featureWords(masked);
  const context: string[] = [];
  let prev = '^';
  let negated = 0;
  // The first word that carries a concept is usually the verb of a request: "stfu ServiceDown",
  // "remove the silence" (the noun "silence" comes later).
  const lead = words.find((w) => conceptOf(w) !== undefined && !OPENERS.has(w));
  if (lead) context.push(`f:${conceptOf(lead)}`);
  for (const w of words) {
    context.push(`b:${prev} ${w}`);
    const concept = conceptOf(w);
    // "stop muting X" undoes muting; "stop paging me about X" asks for a silence.
    if (concept && negated > 0) context.push(`n:${concept}`);
    negated = NEGATIONS.has(w) ? 2 : Math.max(0, negated - 1);
    prev = w;
  }
  if (words.length > 0) context.push(`b:${prev} $`);
  return { words, context };
}

/** The features of one word by itself: the word, its concept, a past form, its character n-grams. */
export function wordFeatures(w: string): string[] {
  const out = [`w:${w}`];
  const concept = conceptOf(w);
  // Twice: a concept is stronger evidence than any one character n-gram.
  if (concept) out.push(`k:${concept}`, `k:${concept}`);
  // "who silenced X", "what was promoted": a done action asks about history, not for the action.
  // With its concept: "who silenced X" asks history, "is my slack linked" asks whoami.
  if (isPastForm(w)) out.push('k:past', `p:${concept}`);
  if (w.startsWith('_') || w.length < 3 || /^\d/.test(w)) return out;
  const padded = ` ${w} `;
  for (let n = 3; n <= 4; n++) {
    for (let i = 0; i + n <= padded.length; i++) out.push(`c:${padded.slice(i, i + n)}`);
  }
  return out;
}

/**
 * Turns a masked message into classifier features: words, word pairs, and character 3- and
 * 4-grams of each word, the last so that typos ("silense", "promte") still share most features.
 *
 * @example features('silence _alert_ for _dur_') // ['f:silence', 'b:^ silence', ..., 'w:silence', 'k:silence', 'k:silence', 'c: si', ...]
 */
export function features(masked: string): string[] {
  const { words, context } = featureParts(masked);
  const out = context;
  for (const w of words) out.push(...wordFeatures(w));
  return out;
}
