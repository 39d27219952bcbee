import { DIGIT_WORDS, wordsValue } from './number-words.js';

/** A duration found in text: where it is and its normalised form (`1h30m`, `2d`). */
export interface DurationMatch {
  start: number;
  end: number;
  seconds: number;
  value: string;
}

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  minuts: 60,
  mintues: 60,
  // Radio talk ("p99 last 15 mikes").
  mikes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  hors: 3600,
  houres: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  wk: 604800,
  week: 604800,
  fortnight: 1209600,
  weeks: 604800,
};

/** Formats seconds as the compact form used everywhere: `1d`, `1h30m`, `45s`. */
export function formatDuration(seconds: number): string {
  let rest = Math.round(seconds);
  if (rest <= 0) return '0s';
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

/** Parses one compact or spelled duration (`90m`, `2 hours`, `half an hour`); undefined if it is not one. */
export function parseDuration(text: string): string | undefined {
  const found = findDurations(text.trim().toLowerCase());
  const first = found[0];
  return first?.start === 0 && first.end === text.trim().length ? first.value : undefined;
}

const UNIT = Object.keys(UNIT_SECONDS)
  .filter((u) => u.length > 1)
  .sort((a, b) => b.length - a.length)
  .join('|');
// Number words: "a", "an", "a couple of" (two), and runs such as "twenty-five" or "forty five"
// (read by `wordsValue`).
const WORD_PART =
  '(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)';
const COUPLE = String.raw`(?:a\s+)?couple(?:\s+of)?`;
const NUM_WORD = `${COUPLE}|an|a|${WORD_PART}(?:[\\s-]+(?:${WORD_PART}|zero|oh))?`;
// "500s" and "404s" are HTTP statuses people count, not seconds. Not after a decimal point: the
// "5h" of "1.5h" is DECIMAL's.
const COMPACT = /(?<![\d.])\b(?![1-5]\d\ds\b)(?:\d+(?:d|h|hr|hrs|m|min|mins|s|w))+\b/g;
// "1.5h", "2.5hrs", "0.5d": a decimal amount of one unit, written compactly.
// ("1.5 h", "72 h": the unit a space apart.)
// (Hours only: "1.2 w fraud" is a value "with" a model, "0.5 m" may be metres.)
const DECIMAL = /(?<![\d.])\b(\d+\.\d+)(?:(hrs|hr|h|d|w|mins|min|m)|\s(hrs|hr|h))\b/g;
const SPACED_UNIT = /(?<![\d.])\b(\d+) (h)\b(?!-)/g;
const COMPACT_PART = /(\d+)(hrs|hr|mins|min|d|h|m|s|w)/g;
// One spelled amount: "2 hours", "two hours", "an hour", "1.5 hours", "half an hour", "an hour and a half",
// "two and a half hours".
const SPELLED = new RegExp(
  `\\b(?:(half(?: an?)?)\\s+(${UNIT})|(\\d+(?:\\.\\d+)?|${NUM_WORD})(\\s+and\\s+a\\s+half)?\\s*(${UNIT})(\\s+and\\s+a\\s+half)?)\\b`,
  'g',
);
// "last hour", "past day", "the last hour and a half": one unit with no number in front.
// ("pst hour": past, typed fast; "on the week", "over the month": as French and Spanish say it.)
const BARE =
  /\b(?:last|past|pst|previous|prior|this|for(?:\s+the)?|(?:on|over|during)\s+the(?=\s+(?:week|fortnight|month)\b))\s+(minute|min|hour|hr|day|week|wk|fortnight|month)(\s+and\s+a\s+half)?\b/g;
// "the past month": thirty days. Only here, with no number: "36 months tenure" is a feature value.
const MONTH_SECONDS = 30 * 86400;

function amount(word: string): number {
  const n = Number(word);
  if (Number.isFinite(n)) return n;
  if (word.includes('couple')) return 2;
  return word === 'a' || word === 'an' ? 1 : (wordsValue(word) ?? digitByDigit(word) ?? 0);
}

/**
 * Two digits said one by one, as radio reads a number ("one five mikes", "two zero minutes"): 15,
 * 20. Not two digits one apart ("two three hours", "four five minutes"): those say about that many.
 */
function digitByDigit(words: string): number | undefined {
  const [tens, units] = words.split(/[\s-]+/).map((w) => (w === 'oh' ? 0 : DIGIT_WORDS.indexOf(w)));
  if (tens === undefined || units === undefined || tens < 1 || units < 0 || units === tens + 1)
    return undefined;
  return tens * 10 + units;
}

/**
 * Finds every duration in lower-cased text, merging adjacent amounts ("1 hour 30 minutes").
 *
 * @example findDurations('silence it for two hours') // [{ value: '2h', ... }]
 */
export function findDurations(text: string): DurationMatch[] {
  const raw: DurationMatch[] = [];
  for (const m of text.matchAll(COMPACT)) {
    let seconds = 0;
    for (const p of m[0].matchAll(COMPACT_PART)) {
      const unit = p[2] === 'hrs' || p[2] === 'hr' ? 'h' : p[2] === 'mins' || p[2] === 'min' ? 'm' : p[2]!;
      seconds += Number(p[1]) * UNIT_SECONDS[unit]!;
    }
    raw.push({ start: m.index, end: m.index + m[0].length, seconds, value: '' });
  }
  for (const m of text.matchAll(SPELLED)) {
    let seconds: number;
    if (m[1]) seconds = UNIT_SECONDS[m[2]!]! / 2;
    else {
      const size = UNIT_SECONDS[m[5]!]!;
      seconds = amount(m[3]!) * size + (m[4] || m[6] ? size / 2 : 0);
    }
    raw.push({ start: m.index, end: m.index + m[0].length, seconds, value: '' });
  }
  for (const m of text.matchAll(DECIMAL)) {
    const written = m[2] ?? m[3]!;
    const unit = written.startsWith('h') ? 'h' : written.startsWith('m') ? 'm' : written;
    const seconds = Number(m[1]) * UNIT_SECONDS[unit]!;
    raw.push({ start: m.index, end: m.index + m[0].length, seconds, value: '' });
  }
  for (const m of text.matchAll(SPACED_UNIT)) {
    const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    raw.push({ start: m.index, end: m.index + m[0].length, seconds, value: '' });
  }
  for (const m of text.matchAll(BARE)) {
    const unitStart = m.index + m[0].indexOf(m[1]!, m[0].search(/\s/));
    const seconds = (m[1] === 'month' ? MONTH_SECONDS : UNIT_SECONDS[m[1]!]!) * (m[2] ? 1.5 : 1);
    raw.push({ start: unitStart, end: m.index + m[0].length, seconds, value: '' });
  }
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: DurationMatch[] = [];
  for (const d of raw) {
    const last = merged[merged.length - 1];
    if (last && d.start < last.end) continue;
    // "1 hour 30 minutes" / "2 hours and 15 minutes" read as one duration.
    if (last && /^\s*(?:and\s+)?$/.test(text.slice(last.end, d.start)) && d.seconds < last.seconds) {
      last.end = d.end;
      last.seconds += d.seconds;
      continue;
    }
    merged.push({ ...d });
  }
  for (const d of merged) d.value = formatDuration(d.seconds);
  return merged.filter((d) => d.seconds > 0);
}
