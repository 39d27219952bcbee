import { COMMON_WORDS } from './common-words.js';
import { conceptOf } from './concepts.js';
import { commentStart } from './pattern-entities.js';

// Words that take back what came just before: "silence X, no wait, Y", "ack 12 no wait 13",
// "v2... actually v3", "latency for auth... sorry i meant ml", "what's the cmd for... nvm, ack
// 5102". The strong ones say it anywhere; the weak ones ("actually", "i mean", "no,", "nvm", "oh
// whatever") only right after a pause (a comma, "...", a dash), since
// "is the gateway actually down" takes nothing back; "no" and "sorry" only with a comma after them
// ("ack 12, no need to page").
// ("claim alert b7e2 sorry b7e9": "sorry" right before another id takes the first back.)
const STRONG =
  'no,? wait|wait,? no|sorry,? i meant|i meant|(?:sorry|sry|srry|soz|my bad|oops),? meant|scratch that|make that|or rather|correction:?|sorry(?=,?\\s+(?:#?(?=[a-z_]*\\d)[a-z0-9_]{2,}|v\\d)\\b)';
const WEAK = String.raw`(?:hmm+,?\s+)?(?:actually|i mean|oops|erm|err|nvm|never ?mind|(?:oh )?whatever|forget (?:it|that)|wait,?\s+no|wait|hold on|hang on|(?:no|nope|nah|sorry)(?=,|\s+(?:sorry|typo|wait|actually|make\s+(?:it|that)|v\d|#?\d|on\b|to\b|use\b|it'?s\b|(?:prod|production|staging|canary|champion|challenger|live)\b)))`;
const MARKER = new RegExp(
  String.raw`(?:[\s,;]*\b(?:${STRONG})\b|(?:\s*(?:,|;|\.{2,}|…|\s-+|-+(?=\s))\s*)(?:${WEAK})\b)[\s,:;.…!-]*(?:(?:just|only|sorry|typo|my bad|wrong one|it'?s|use|make it|actually|first|wait)\b[\s,:;.…!-]*)*`,
  'gi',
);

// The shapes a corrected value can have, each with the pattern of its kind in the part before.
const SHAPES: { first: RegExp; before: RegExp }[] = [
  // A duration: "2h, no wait, 3h", "for a day, no, make it 12 hours".
  {
    first:
      /^(?:\d+\s*(?:w|d|h|hr|hrs|m|min|mins|s|hours?|minutes?|days?|weeks?)|(?:an?|one|two|three|six|twelve)\s+(?:hours?|minutes?|days?|weeks?))\b/i,
    before:
      /\b(?:\d+\s*(?:w|d|h|hr|hrs|m|min|mins|s|hours?|minutes?|days?|weeks?)|(?:an?|one|two|three|six|twelve)\s+(?:hours?|minutes?|days?|weeks?))\b/gi,
  },
  // A version: "v2... actually v3".
  { first: /^v\d+\b/i, before: /\bv\d+\b/gi },
  // A percentile: "p50... actually p95", "median latency … no wait, p99", "error rate for X, no wait,
  // make it p95" (another signal asked for).
  {
    first: /^p\d\d\b/i,
    before:
      /\bp\d\d\b|\bmedian(?:\s+latency)?\b|\berror\s+(?:rate|ratio)\b|\b(?:errors|5xxs?|latency|traffic|rps|qps|cpu|throughput)\b/gi,
  },
  // An alias: "what's on staging for iris, no, on champion", "run iris staging …, no wait use production".
  {
    first: /^(?:on\s+|to\s+)?(?:prod|production|staging|canary|champion|challenger|live)\b/i,
    before: /\b(?:on\s+|to\s+)?(?:prod|production|staging|canary|champion|challenger|live)\b/gi,
  },
  // A link code: "link me with 7HJ2-KP0D, wait wrong one, use 7HJ2-KP0B".
  { first: /^[a-z0-9]{4}-[a-z0-9]{4}\b/i, before: /\b[a-z0-9]{4}-[a-z0-9]{4}\b/gi },
  // A run of numbers (an id, or the features of a prediction): "1 2 3 4, no wait, 5 2 3 1". Not
  // the amount of a duration ("snooze alert 5120 for 45 min, sorry, 4512": the id).
  {
    first: /^#?-?\d+(?:\.\d+)?(?:[\s,]+-?\d+(?:\.\d+)?)*/,
    before:
      /#?-?\d+(?:\.\d+)?(?:[\s,]+-?\d+(?:\.\d+)?)*(?!\d|\.\d|\s*(?:w|d|h|hr|hrs|m|min|mins|s|hours?|minutes?|mins?|days?|weeks?)\b)/g,
  },
  // A severity: "list warnings for ml-service, no, the critical ones".
  {
    first: /^(?:the\s+)?(?:critical|crits?|warnings?|warn|info|sev\s?[1-4])(?:\s+ones)?\b/i,
    before: /\b(?:critical|crits?|warnings?|warn|info|sev\s?[1-4])\b/gi,
  },
  // A CamelCase alert name.
  { first: /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b/, before: /\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b/g },
  // A hex or base-36 id with a digit in it: "ack 3fa9, no, 3fb0".
  { first: /^#?(?=[a-z_]*\d)[a-z0-9_]{3,}\b/i, before: /#?\b(?=[a-z_]*\d)[a-z0-9_]{3,}\b/gi },
];
const DISMISS = /\b(?:nvm|never ?mind|whatever|forget (?:it|that))\b/i;
const WORD = /^[a-z][\w.-]*/i;
const LAST_WORD = /[a-z][\w.-]*(?=[^a-z0-9]*$)/i;
const NAME_LIKE = /\b[a-z][\w-]*[a-z0-9]\b/gi;
const TIME_WORD =
  /^(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?|today|tonight|yesterday|now|ago|morning)$/i;
// A corrected part that starts with one of these restates the whole request ("ack it, no wait,
// silence it for 1h"), so the part before goes.
const RESTATING = new Set([
  'silence',
  'unsilence',
  'acknowledge',
  'rollback',
  'promote',
  'predict',
  'list',
  'link',
]);

/**
 * The message as meant once its self-corrections are applied: the value named after a taking-back
 * word replaces the last value of the same shape before it (a duration, a version, an id, numbers,
 * an alert name, otherwise the last word or the same word again), and the rest of the message
 * stays. A message with nothing taken back comes back as it was.
 *
 * @example applyCorrections('silence HighErrorRatio 2h, no wait, 3h') // 'silence HighErrorRatio 3h'
 * @example applyCorrections('rollback iris... no, churn') // 'rollback churn'
 */
export function applyCorrections(text: string): string {
  let out = withoutNegatedLead(withoutReplyRecalled(text));
  // A few at most; each pass removes one marker.
  for (let pass = 0; pass < 3; pass++) {
    const marker = [...out.matchAll(MARKER)].find((m) => m.index > 0 && m.index + m[0].length < out.length);
    if (!marker) return withoutRuledOutValues(out);
    const before = out.slice(0, marker.index);
    const after = out.slice(marker.index + marker[0].length);
    // "what's the cmd for... nvm, ack 5102": a question dropped for a command; anything else after
    // "nvm" ("how do I... nvm, here: P0O9-I8U7 link") is no correction of what came before.
    const next = DISMISS.test(marker[0]) ? (restates(after) ? after : undefined) : correct(before, after);
    if (next === undefined) return withoutRuledOutValues(out);
    out = next;
  }
  return withoutRuledOutValues(out);
}

// A message that opens by ruling something out and then says what it means: "not the gateway, the
// auth one", "not p99, the p50 for gateway", "not sil_1111, unsilence sil_2222", "don't roll back
// fraud, promote v8 to canary instead", "don't roll back. promote churn v4 instead", "not asking you
// to run anything. what commands exist". What is ruled out is at most a few words (or one clause
// after "don't" or "not asking you to") and a comma, semicolon or full stop ends it; the rest is
// the request.
const NEGATED_LEAD =
  /^\s*(?:(?:nvm|never ?mind|actually|wait|hmm+)[,\s]+)?(?:(?:no,?\s+)?not\s+(?!asking\b)(?:this\s+one\s+|the\s+)?[^\s,;.]+(?:\s+[^\s,;.]+){0,2}|(?:don'?t|do not|dont|not asking(?: you)? to|i'?m not asking(?: you)? to)\s+[^,;.]{1,60}?)\s*(?:[,;.]|\s-+)\s*(?:sorry,?\s+)?(?:but\s+|instead\s+)?(?:just\s+|only\s+)?/i;

const RULED_OUT_VERB =
  /^(?:roll|back|it|that|this|the|them|just|yet|now|again|please|pls|extend|anything|something|any|more|touch|change|create|make|add|open|start|page|ping|wake|bother|another|new)$/i;

/** The message past a ruled-out lead ("not iris, roll back fraud" → "roll back fraud"). */
function withoutNegatedLead(text: string): string {
  const lead = NEGATED_LEAD.exec(text);
  if (!lead) return text;
  const rest = text.slice(lead[0].length);
  if (!/[a-z0-9]/i.test(rest)) return text;
  if (/^\s*(?:i'?m )?not asking\b/i.test(lead[0])) return rest;
  if (!/^\s*(?:don'?t|do not|dont)\b/i.test(lead[0])) return rest;
  // "don't roll back fraud, promote v8 to canary": the verb is ruled out, not what it was about,
  // so the names in the lead stay.
  const kept = lead[0]
    .replace(/^\s*(?:don'?t|do not|dont)\s+/i, '')
    .split(/[\s,;.]+/)
    .filter(
      (w) =>
        /[a-z0-9]/i.test(w) &&
        !RULED_OUT_VERB.test(w) &&
        !COMMON_WORDS.has(w.toLowerCase()) &&
        conceptOf(w.toLowerCase()) === undefined,
    );
  return kept.length > 0 ? `${rest} ${kept.join(' ')}` : rest;
}

// A sentence that says what the bot answered before the one that asks again: "you give uptime. I
// need cpu", "You showed me a graph for a week. I only wanted the last 20 minutes", "you show only
// prod. I want what is on stg", "I think you misread me." The names and spans in it are the wrong
// answer, not the request; a message of that one sentence alone keeps it.
const REPLY_RECALLED =
  /^\s*(?:(?:no+|nope|ugh+|sigh|hmm+|ok(?:ay)?|bot|dude|hey)[,!.\s]+)*(?:(?:i think|pretty sure|looks like|seems)\s+)?(?:you|u|ya|it)\s+(?:just\s+|only\s+|again\s+|already\s+|clearly\s+)?(?:gave|give|gives|showed|show|shows|shown|answered|replied|said|sent|returned|listed|told|picked|took|misread|misunderstood|understood|heard|pulled|fetched|ran)\b[^.!?\n]*(?:[.!?]+\s+|\n+)(?=\S)/i;

function withoutReplyRecalled(text: string): string {
  const lead = REPLY_RECALLED.exec(text);
  if (!lead) return text;
  const rest = text.slice(lead[0].length);
  return /[a-z0-9]/i.test(rest) ? rest : text;
}

// A value ruled out after the one meant: "30m pls, not 30h", "meant sev2 not sev1", "unmute alert 58
// not silence 58", "v8 not v18", "make it 2 hours not 20", "iris, not churn": the words from "not" (or
// "instead of", "rather than") through a value of the same shape as one before it go. ("2 hours
// not 20": a bare number after a span is the span's amount.)
const RULED_OUT =
  /[\s,;]*\b(?:and\s+|but\s+)?(?:not|instead\s+of|rather\s+than)\s+(?:the\s+|a\s+|an\s+)?(?:(?:alert|silence|version|ver|id|model|service)\s+)?(?=\S)/gi;
const SPAN_BEFORE = /\b\d+(?:\.\d+)?\s*(?:w|d|h|hr|hrs|m|min|mins|hours?|minutes?|days?|weeks?)\b/i;

// What a request leaves out ("every sev1 in the past hour, all services except the gateway", "all
// open warnings, every service except monitoring", "every critical on auth except the ServiceDown
// one", "models with a production alias, except the iris demo"): the name after it goes, with the
// word saying it is one.
const LEFT_OUT =
  /[\s,;]*\b(?:except(?:\s+for)?|excluding|exclude|other\s+than|apart\s+from|besides|but\s+not|minus|leave\s+out|leaving\s+out)\s+(?:the\s+|a\s+|an\s+|any\s+)?([a-z][\w.-]*[a-z0-9])(?:\s+(?:ones?|demo|service|svc|alerts?|model|one))?\b/gi;

// ("except for ones I acked": the words point at things, naming none.)
const POINTING_WORDS = /^(?:ones?|those|these|mine|yours|theirs|ours|whatever|anything|everything)$/;

// (A cheap look first: most messages leave nothing out.)
const MAY_LEAVE_OUT = /\b(?:except|exclud|other than|apart|besides|but not|minus|leav)/i;
const MAY_RULE_OUT = /\b(?:not|instead|rather)\b/i;

function withoutLeftOut(text: string): string {
  if (!MAY_LEAVE_OUT.test(text)) return text;
  const note = commentStart(text) ?? text.length;
  return text.replace(LEFT_OUT, (whole, word: string, at: number) => {
    const lower = word.toLowerCase();
    const plain = (COMMON_WORDS.has(lower) && conceptOf(lower) === undefined) || POINTING_WORDS.test(lower);
    return at >= note || plain ? whole : '';
  });
}

// ("churn_v2.1 not churn": a name may hold dots.)
const DOTTED_NAME = /\b[a-z][\w.-]*[a-z0-9]\b/gi;

function withoutRuledOutValues(text: string): string {
  text = withoutLeftOut(text);
  if (!MAY_RULE_OUT.test(text)) return text;
  for (const m of text.matchAll(RULED_OUT)) {
    const before = text.slice(0, m.index);
    const after = text.slice(m.index + m[0].length);
    if (!/[a-z0-9]/i.test(before)) continue;
    const bare = /^\d+\b(?!\s*[a-z])/i.exec(after);
    let value = bare && SPAN_BEFORE.test(before) ? bare[0] : undefined;
    for (const shape of SHAPES) {
      if (value !== undefined) break;
      const first = shape.first.exec(after);
      if (first && [...before.matchAll(shape.before)].length > 0) value = first[0];
    }
    if (value === undefined) {
      // A name ruled out after another: "versions of iris, not churn" (a word no everyday one).
      const word = /^[a-z][\w.-]*[a-z0-9]\b/i.exec(after)?.[0];
      const lastName = [...before.matchAll(DOTTED_NAME)].pop()?.[0];
      if (
        word &&
        lastName &&
        // ("why is auth not responding": a verb after "not" says what is wrong, naming nothing.)
        !/(?:ing|ed)$/i.test(word) &&
        !COMMON_WORDS.has(word.toLowerCase()) &&
        !COMMON_WORDS.has(lastName.toLowerCase()) &&
        /^[\s,;]*$/.test(
          before
            .slice(before.lastIndexOf(lastName) + lastName.length)
            .replace(/\b(?:pls|please|plz)\b/gi, ''),
        )
      )
        value = word;
    }
    if (value === undefined) continue;
    // A note is the writer's own words ("… its real drift not infra").
    const note = commentStart(text);
    if (note !== undefined && note <= m.index) return text;
    const rest = after.slice(value.length).replace(/^\s+ones?\b/i, '');
    return withoutRuledOutValues(`${before}${rest}`);
  }
  return text;
}

/** Whether the part after a taking-back word begins with a command of its own. */
function restates(after: string): boolean {
  const word = WORD.exec(after)?.[0];
  return word !== undefined && RESTATING.has(conceptOf(word.toLowerCase()) ?? '');
}

// "…, actually we are failing over": a clause of its own after the word says why, takes nothing back.
const CLAUSE =
  /^(?:we|i|it|they|he|she|there|this|that)(?:'re|'s|'m|'ve|\s+(?:are|is|am|was|were|have|has|had|will|need|can|just))\b/i;

function correct(before: string, after: string): string | undefined {
  // "what did sam do... no, not sam, what did alex do": what is ruled out again, then the request.
  if (CLAUSE.test(after)) return undefined;
  const unnegated = withoutNegatedLead(after);
  if (unnegated !== after && /^\s*(?:not|no)\b/i.test(after)) return correct(before, unnegated);
  for (const shape of SHAPES) {
    const first = shape.first.exec(after);
    if (!first) continue;
    const last = [...before.matchAll(shape.before)].pop();
    if (!last) return undefined;
    const tail = before.slice(last.index + last[0].length);
    return `${before.slice(0, last.index)}${first[0]}${tail}${after.slice(first[0].length)}`;
  }
  const word = WORD.exec(after)?.[0];
  if (!word) return undefined;
  if (RESTATING.has(conceptOf(word.toLowerCase()) ?? '') || /^(?:run|score|show|check)$/i.test(word)) {
    // "silence 7002 for an hour, no actually just ack it": "it" is what the first command named.
    const named = /#?\b\d{2,}\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b/.exec(before)?.[0];
    return named ? after.replace(/\b(?:it|that|this|them)\b/, named) : after;
  }
  // "error budget... i mean error rate": the same word again restarts from where it was.
  const again = before.toLowerCase().lastIndexOf(word.toLowerCase());
  if (again >= 0 && /^\W?$/.test(before[again - 1] ?? '')) return `${before.slice(0, again)}${after}`;
  // "is payments-api healthy? sorry, i meant checkout": a name takes the place of the last word
  // that is no everyday word (the name it corrects), keeping the words around it.
  const names = [...before.matchAll(NAME_LIKE)].filter(
    (m) =>
      !COMMON_WORDS.has(m[0].toLowerCase()) &&
      conceptOf(m[0].toLowerCase()) === undefined &&
      !TIME_WORD.test(m[0]),
  );
  const name = names.pop();
  if (
    name &&
    /^[a-z][\w.-]*\s*[.!?]*\s*$/i.test(after) &&
    /[a-z0-9]/i.test(before.slice(name.index + name[0].length))
  )
    return `${before.slice(0, name.index)}${word}${before.slice(name.index + name[0].length)}`;
  const last = LAST_WORD.exec(before);
  if (!last) return undefined;
  return `${before.slice(0, last.index)}${after}`;
}
