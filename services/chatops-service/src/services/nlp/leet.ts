import { COMMON_WORDS } from './common-words.js';
import { conceptOf, conceptWords } from './concepts.js';

/**
 * Messages typed in alternating capitals ("iS cH4t0pS DeAd oR wHaT") or in l33t, digits for the
 * letters they look like ("s1l3nc3 #22 4 3 h0urZ", "pR0m0t3 iRiS v6 2 pR0d"): the words as they are
 * meant. Read only where a message shows two such words or more, so an id ("3f9a", "sil_7h2k"), a
 * version ("v10"), a duration ("30m") or a brand's capitals ("iOS") in plain chat stays as written.
 */

// Words of this platform's own talk that de-l33ting may land on, beside everyday English and the
// words for operations (`concepts.ts`).
const PLATFORM_WORDS = new Set(
  'who what which how why when where alert alerts silence silences hour hours hourz min mins minute minutes ratio rate error errors latency traffic prod production staging canary champion challenger chatops auth gateway monitoring service services model models version firing critical warning status hot slow pls plz thx rn'.split(
    ' ',
  ),
);
const LOOKS_LIKE: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
const TOKEN = /(?<![\w@#<-])[a-z0-9]+(?![\w>-])/gi;
const MIXED = /^(?=.*[a-z])(?=.*[013457])[a-z0-9]+$/i;

const known = (word: string) =>
  COMMON_WORDS.has(word) || PLATFORM_WORDS.has(word) || conceptOf(word) !== undefined;

const isUpper = (c: string) => c !== c.toLowerCase();

/** The share of neighbouring letters in a word that change case: 1 for "wHaT", 0.36 for "HighLatencyP99". */
function caseFlips(word: string): number {
  const letters = word.replace(/[^a-z]/gi, '');
  if (letters.length < 2) return 0;
  let flips = 0;
  for (let i = 1; i < letters.length; i++) if (isUpper(letters[i]!) !== isUpper(letters[i - 1]!)) flips++;
  return flips / (letters.length - 1);
}

/** A word with its look-alike digits read as letters, when that makes a word; else undefined. */
function unleet(token: string): string | undefined {
  if (!MIXED.test(token) || /^v\d+$|^\d+(?:ms|s|m|h|d|w|mins?|hrs?|wks?)$|^p\d\d$/i.test(token))
    return undefined;
  const lower = token.toLowerCase();
  // An id in hex keeps its digits unless typed in mixed capitals ("d1D" is "did"; "3f9a" stays).
  if (/^[0-9a-f]+$/.test(lower) && caseFlips(token) < 0.5) return undefined;
  const read = lower.replace(/[013457]/g, (d) => LOOKS_LIKE[d]!);
  if (known(read)) return read;
  const asL = lower.replace(/[013457]/g, (d) => (d === '1' ? 'l' : LOOKS_LIKE[d]!));
  return known(asL) ? asL : undefined;
}

// (Capitalised, "End", "For", or in capitals, "ML", is how words are written, not alternating.)
const sponge = (token: string) => {
  const letters = token.replace(/[^a-z]/gi, '');
  if (letters.length < 2 || /^[A-Z]?[a-z]*$/.test(letters) || /^[A-Z]+$/.test(letters)) return false;
  return caseFlips(token) >= 0.5;
};

/**
 * @example plainLetters('s1l3nc3 #22 4 3 h0urZ') // 'silence #22 for 3 hourz'
 * @example plainLetters('wH1cH m0dElS r 0n StAgInG') // 'which models r on staging'
 */
export function plainLetters(text: string): string {
  if (!/[0-9]|[a-z][A-Z]/.test(text)) return text;
  const tokens = [...text.matchAll(TOKEN)].map((m) => m[0]);
  const odd = tokens.filter((t) => unleet(t) !== undefined || (t.length >= 3 && sponge(t))).length;
  if (odd < 2) return text;
  let out = text.replace(TOKEN, (t) => unleet(t) ?? (sponge(t) ? t.toLowerCase() : t));
  // Digits that stand for words between words: "4 30m", "4 auth", "2 prod", "how 2 unsilence",
  // "who am 1"; the "1" of a shouted "!!1".
  out = out
    .replace(/(?<=[a-z]\s+|#\d+\s+)4(?=\s+(?:[a-z]|\d+\s*[a-z]))/gi, 'for')
    .replace(/(?<=[a-z]\s+)2(?=\s+[a-z])/gi, 'to')
    .replace(/\bwho\s+4m\b/gi, 'who am')
    .replace(/\bam\s+1\b/gi, 'am i')
    .replace(/(!+)[!1]*1\b/g, '$1')
    // "h0urZ", "alertz": a plural in z.
    .replace(/\b([a-z]{3,})z\b/gi, (w: string, stem: string) =>
      known(`${stem}s`.toLowerCase()) ? `${stem}s` : w,
    );
  return out;
}

// Words typed without their vowels, as a hurried intern does ("prmt irs v4 stg", "slnc crit chtps
// 2h", "hstry @ana.r 1d", "unslnc 4d2"): the word whose first letter and consonants they are, among
// the words of operations and of this platform; a skeleton two of those words share is left alone.
// (This pass runs before the lexicon is consulted, so the models' short names are the shipped
// lexicon's; a model added later is found without its vowels only as a typo of its name is.)
// (The operations' own spellings come before their misspellings in `concepts.ts`, so "prmt" is
// "promote", not "promte"; the shipped lexicon's short model names too.)
const CANONICAL = [
  ...PLATFORM_WORDS,
  ...'show mine roles role versions history whoami iris fraud churn unmute unsilence rollback predict promote list server median healthy taking'.split(
    ' ',
  ),
];
const skeleton = (word: string) => word[0] + word.slice(1).replace(/[aeiou]/g, '');
const BY_SKELETON = new Map<string, string | null>();
// The platform's own words first; a word of operations fills a skeleton they leave free, and a
// misspelling of the same operation ("promte" of "promote") never makes one ambiguous.
// (Not the words of off-topic talk: "pst" is past typed fast, no pasta.)
for (const word of [...CANONICAL, ...conceptWords().filter((w) => conceptOf(w) !== 'offtopic')]) {
  if (word.length < 3 || !/^[a-z]+$/.test(word)) continue;
  const key = skeleton(word);
  if (key === word) continue;
  const seen = BY_SKELETON.get(key);
  if (seen === undefined) BY_SKELETON.set(key, word);
  else if (
    seen !== null &&
    seen !== word &&
    (conceptOf(seen) === undefined || conceptOf(seen) !== conceptOf(word))
  )
    BY_SKELETON.set(key, null);
}
// A word that begins with a vowel typed without it too ("lrt" for alert, "nmt" for unmute, "dt lg"
// keeps "dt": too short to tell), where the plain skeletons leave that key free.
for (const word of [...CANONICAL, ...conceptWords().filter((w) => conceptOf(w) !== 'offtopic')]) {
  if (!/^[aeiou][a-z]+$/.test(word)) continue;
  const key = skeleton(word).slice(1);
  if (key.length < 3 || BY_SKELETON.has(key) || !/^[b-df-hj-np-tv-z]+$/.test(key)) continue;
  BY_SKELETON.set(key, word);
}
// The same skeletons with doubled letters and "ck" said once ("rlbk" for rollback, "ack" spelt
// "ak"), as a hurried writer drops them too: consulted only when the plain skeleton knows nothing.
const squeeze = (key: string) => key.replace(/ck/g, 'k').replace(/(.)\1+/g, '$1');
const BY_SQUEEZED = new Map<string, string | null>();
for (const [key, word] of BY_SKELETON) {
  if (word === null) continue;
  const short = squeeze(key);
  if (short === key || BY_SKELETON.has(short)) continue;
  const seen = BY_SQUEEZED.get(short);
  if (seen === undefined) BY_SQUEEZED.set(short, word);
  else if (
    seen !== null &&
    seen !== word &&
    (conceptOf(seen) === undefined || conceptOf(seen) !== conceptOf(word))
  )
    BY_SQUEEZED.set(short, null);
}
const NO_VOWELS = /(?<![\w@#<.-])[a-z][b-df-hj-np-tv-z]{2,}(?![\w>.-])/gi;
// Two words too short for a skeleton of their own, said as the intern says them.
const SHORT: Record<string, string> = { mt: 'mute', whmi: 'whoami' };

/**
 * @example vowelsBack('prmt irs v4 stg') // 'promote iris v4 stg'
 */
export function vowelsBack(text: string): string {
  let out = text.replace(NO_VOWELS, (token) => {
    const lower = token.toLowerCase();
    if (known(lower)) return token;
    const word = BY_SKELETON.has(lower) ? BY_SKELETON.get(lower) : BY_SQUEEZED.get(lower);
    return word ?? token;
  });
  out = out.replace(
    /^(\s*)(mt|whmi)\b/i,
    (_, lead: string, word: string) => lead + SHORT[word.toLowerCase()]!,
  );
  return out;
}
