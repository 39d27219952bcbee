import { findNumberWords } from './number-words.js';
import type { SpanSet } from './text-spans.js';

/**
 * An alert or silence id as people type it. `kind` is set when the id's own shape says what it
 * names (`alt_…`, `sil_…`, a full 16-digit fingerprint) or the word "alert" stands before it;
 * otherwise the intent decides.
 */
export interface IdMention {
  value: string;
  start: number;
  end: number;
  kind?: 'alert_id' | 'silence_id';
}

// (`SIL-77ab`, as a page or an email may print it: the same id, `sil_77ab`.)
const PREFIXED = /\b(alt|sil)[_-]([a-z0-9]+)\b/gi;
const FINGERPRINT = /\b[0-9a-f]{16}\b/g;
// `#12`, `#3fa9`, `#mf3k2`: a number sign makes digits, hex digits or a base-36 silence id with a
// digit an id; `#incidents` (a channel) is not one.
const HASHED = /#(\d{1,16}|[0-9a-f]{1,16}|(?=[a-z]*\d)[0-9a-z]{2,24})\b/g;
// A word that, followed by a number, makes the number an id: "alert 5", "number twelve", "id 0c9d".
const KEYWORD = String.raw`(?:alerts?|silences?|pages?|incidents?|ids?|identifier|number|num|no\.?|nr\.?)`;
// Verbs whose object may be a bare id: "ack 42", "unsnooze 2b4d", "i'll take 88".
// Hurried spellings too: "acknowlege", "aknowledge", "snoze".
const VERB = `(?:on it|(?:i'?ll|i|we) own|ack|ackk|ak|acking|acked|ac?knowl?e?d?ge?|ac?knowl?e?d?ging|sno+ze?|claim|claiming|grab|grabbing|take|taking|mine|mute|muting|sil+e?n[cs]e|sil+e?n[cs]ing|snooze|hush|shush|sh{2,}|quiet|silenced|muted|snoozed|unmute|unmte|unmtue|unsilence|unsnooze|unshush|unhush|expire|end|kill|nuke|zap|bin|delete|remove|drop|cancel|lift|mark)`;
// One id-shaped token: digits, or letters and digits with at least one digit (a hex prefix of a
// fingerprint, or the base-36 start of a silence id such as `mf3k2`), so "bad" or "face" are words.
// Percentiles, versions, ordinals, status classes and severity levels (`p99`, `v3`, `2nd`, `5xx`,
// `sev1`, `p1`) are not ids.
const ID_TOKEN = String.raw`(?!p\d\d?s?\b|v\d+\b|\d+(?:st|nd|rd|th|x+)\b|sev\d+s?\b)(\d{1,16}|(?=[a-z]*\d)[0-9a-z]{2,24})`;
// "silence on 8e2f": the id may follow the verb or keyword after "on".
// ("pls ack asap b2c1": a word of hurry or politeness may stand between; "ack. 5b2e.": a full stop.)
const LEAD = String.raw`\b(?:${KEYWORD}|${VERB})(?:\s+(?:asap|pls|plz|please|now|quickly|rn|el|la|le))?(?:\s+(?:number|no\.?|nr\.?|id|it[:.]?))?(?:\s+on)?(?:[\s,:]+|\s+-+\s+|\.\s+)`;
// (Not the first number of a row: "churn's take on 3, 45.5, 0".)
const AFTER_LEAD = new RegExp(`${LEAD}${ID_TOKEN}\\b(?!,\\s*-?\\d+\\.\\d)`, 'g');
// An id said first, the verb after it ("mf3k2x ack", "3fa9 mute 1h", "#7 ack pls"): letters and
// digits, or digits, leading the message.
// An id beside the place it had in a list the bot showed ("the 3rd one, 7c2e", "the top one from
// your list (9c1e)"): the id.
const LISTED = new RegExp(String.raw`\b(?:one|list|item)\s*[,:(]\s*${ID_TOKEN}\b(?![.,]\d)`, 'g');
// ("yaar 3fa9 ack kar do": a word of address may come first; "3f9a. ack.": a full stop between.)
const BEFORE_VERB = new RegExp(
  String.raw`^\s*(?:(?:yaar|bhai|pls|please|ok|so|hey|oi)[,\s]+)?#?${ID_TOKEN}[.,]?\s+${VERB}\b`,
);
const LEAD_AT_END = new RegExp(`${LEAD}$`);
// The word "alert" right before an id makes it an alert's, whatever the verb: "unmute alert 7"
// lifts the silences on alert 7, not a silence numbered 7.
const ALERT_BEFORE = /\balerts?(?:\s+(?:number|no\.?|nr\.?|id))?(?:\s+on)?[\s,:]*#?$/;

/**
 * Alert and silence ids in lower-cased text: prefixed ids and fingerprints anywhere; short forms
 * (digits, a hex prefix, a number in words) after `#`, after a word such as "alert" or "number",
 * or right after a verb that takes an id. Claims their spans.
 *
 * @example findIdMentions('ack alert number twelve', spans) // [{ value: '12', ... }]
 */
export function findIdMentions(lower: string, spans: SpanSet): IdMention[] {
  const out: IdMention[] = [];
  const add = (value: string, start: number, end: number, shape?: IdMention['kind']) => {
    if (!spans.isFree(start, end)) return;
    spans.take(start, end, 'id');
    const before = lower.slice(Math.max(0, start - 24), start);
    const kind = shape ?? (ALERT_BEFORE.test(before) ? 'alert_id' : undefined);
    out.push(kind ? { value, start, end, kind } : { value, start, end });
  };
  for (const m of lower.matchAll(PREFIXED))
    add(`${m[1]}_${m[2]}`, m.index, m.index + m[0].length, m[1] === 'alt' ? 'alert_id' : 'silence_id');
  for (const m of lower.matchAll(FINGERPRINT)) add(m[0], m.index, m.index + m[0].length, 'alert_id');
  for (const m of lower.matchAll(HASHED)) add(m[1]!, m.index, m.index + m[0].length);
  for (const m of lower.matchAll(AFTER_LEAD)) {
    const start = m.index + m[0].length - m[1]!.length;
    add(m[1]!, start, start + m[1]!.length);
  }
  for (const m of lower.matchAll(LISTED)) {
    const start = m.index + m[0].length - m[1]!.length;
    add(m[1]!, start, start + m[1]!.length);
  }
  const lead = BEFORE_VERB.exec(lower);
  if (lead) {
    const start = lower.indexOf(lead[1]!);
    add(lead[1]!, start, start + lead[1]!.length);
  }
  for (const n of findNumberWords(lower)) {
    if (LEAD_AT_END.test(lower.slice(Math.max(0, n.start - 40), n.start)))
      add(String(n.value), n.start, n.end);
  }
  return out.sort((a, b) => a.start - b.start);
}
