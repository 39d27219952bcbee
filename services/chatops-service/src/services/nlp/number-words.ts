/** A number found in text, written in digits or in words, with where it is. */
export interface NumberMatch {
  start: number;
  end: number;
  value: number;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** The digit words, zero to nine, in order. */
export const DIGIT_WORDS: readonly string[] = Object.keys(UNITS).slice(0, 10);
/** A digit said as a word, "oh" and "nought" for zero included (a regular expression source). */
export const DIGIT_WORD = `(?:${DIGIT_WORDS.join('|')}|oh|nought|naught)`;
/** The digit a digit word says ("oh" and anything else: 0). */
export const digitOf = (word: string) => Math.max(0, DIGIT_WORDS.indexOf(word.toLowerCase()));
/**
 * A number below a hundred said as one group, as phones read numbers out in groups ("sixty-two",
 * "eighteen", "oh"; a regular expression source). Its value: `groupValue`.
 */
export const NUMBER_GROUP = `(?:(?:${Object.keys(TENS).join('|')})(?:[\\s-]+(?:${DIGIT_WORDS.slice(1).join('|')}))?|${Object.keys(UNITS).slice(10).join('|')}|${DIGIT_WORD})`;
/** The value of a `NUMBER_GROUP` match: "sixty-two" → 62, "oh" → 0. */
export const groupValue = (words: string) => wordsValue(words) ?? digitOf(words);

/** One English number word: a unit, a ten or "hundred" (a regular expression source). */
export const NUMBER_WORD = `(?:${[...Object.keys(TENS), ...Object.keys(UNITS), 'hundred'].join('|')})`;
const WORD = `(?:${NUMBER_WORD.slice(3, -1)}|a|and)`;
// A run of number words: "forty two", "twenty-one", "a hundred and five". Validated by `wordsValue`.
// Eight words at most (a number below a thousand needs six: "a hundred and twenty one" with a
// leading "and"): trimming an unbounded run word by word was quadratic, 0.2 s for "a-a-a-…" of
// 2,000 characters.
const RUN = new RegExp(`\\b${WORD}(?:[\\s-]+${WORD}){0,7}\\b`, 'gi');

/**
 * The value of a run of English number words below a thousand, or undefined if the words do not
 * form one number ("two three" is two numbers, "a" alone is not one).
 *
 * @example wordsValue('forty-two') // 42
 */
export function wordsValue(words: string): number | undefined {
  const parts = words.toLowerCase().split(/[\s-]+/);
  let total = 0;
  let current = 0;
  let last: 'unit' | 'ten' | 'hundred' | 'and' | 'a' | undefined;
  let seen = false;
  for (const p of parts) {
    if (p === 'a') {
      if (last !== undefined) return undefined;
      current = 1;
      last = 'a';
    } else if (p === 'and') {
      if (last !== 'hundred') return undefined;
      last = 'and';
    } else if (p === 'hundred') {
      if (last !== 'unit' && last !== 'a') return undefined;
      total += current * 100;
      current = 0;
      last = 'hundred';
      seen = true;
    } else if (TENS[p] !== undefined) {
      if (last === 'unit' || last === 'ten' || last === 'a') return undefined;
      current += TENS[p]!;
      last = 'ten';
      seen = true;
    } else if (UNITS[p] !== undefined) {
      if (last === 'unit' || last === 'a' || (last === 'ten' && UNITS[p]! >= 10)) return undefined;
      current += UNITS[p]!;
      last = 'unit';
      seen = true;
    } else return undefined;
  }
  if (!seen || last === 'and' || last === 'a') return undefined;
  return total + current;
}

/**
 * Every whole number in lower-cased text, in digits or words, longest reading first: `#12`,
 * `twelve`, `forty two`. Runs that are not one number ("two three") are skipped.
 *
 * @example findNumberWords('ack alert number twenty-one') // [{ value: 21, start: 17, end: 26 }]
 */
export function findNumberWords(lower: string): NumberMatch[] {
  const out: NumberMatch[] = [];
  for (const m of lower.matchAll(RUN)) {
    // Trim leading "a"/"and" that belong to the sentence ("a", "and two") rather than the number.
    let text = m[0];
    let start = m.index;
    while (/^(?:a|and)[\s-]+/.test(text)) {
      const cut = /^(?:a|and)[\s-]+/.exec(text)![0].length;
      if (wordsValue(text) !== undefined) break;
      text = text.slice(cut);
      start += cut;
    }
    text = text.replace(/[\s-]+and$/, '');
    const value = wordsValue(text);
    if (value !== undefined) out.push({ start, end: start + text.length, value });
    // "eleven and twelve", "three and four": two numbers joined by "and", each read by itself.
    else
      for (const part of text.matchAll(/(?:^|(?<=\sand\s))(.+?)(?=\s+and\s|$)/g)) {
        const each = wordsValue(part[1]!);
        if (each !== undefined)
          out.push({ start: start + part.index, end: start + part.index + part[1]!.length, value: each });
      }
  }
  return out;
}
