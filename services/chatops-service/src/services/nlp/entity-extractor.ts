import { COMMON_WORDS } from './common-words.js';
import { conceptOf } from './concepts.js';
import { findDurations } from './durations.js';
import type { EverydayWords } from './everyday-words.js';
import { FOREIGN_FUNCTION_WORDS } from './foreign-words.js';
import { findIdMentions, type IdMention } from './id-mentions.js';
import type { Entities, Lexicon } from './lexicon.js';
import { nearNames, type Resolution, segments } from './name-resolver.js';
import { findNumberWords } from './number-words.js';
import { findPatternEntities } from './pattern-entities.js';
import { SpanSet, type Token, tokenize } from './text-spans.js';
import { NAME_KINDS, type NameKind, Vocabulary } from './vocabulary.js';

/** A word of the message and what claimed it (undefined while free). */
export interface WordSlot extends Token {
  kind?: string;
}

/** A name found by its shape (`payments-scorer`, `fraud-model`) that matches nothing known. */
export interface NameMention extends Token {
  /** Set when the syntax says what it names (`fraud-model@prod` is a model). */
  kind?: 'model' | 'service';
}

export interface Extraction {
  /** What the text says for sure: known names (resolved), and entities recognised by their shape. */
  entities: Entities;
  /** How each written name became its value (exact, typo, unknown). */
  resolutions: Resolution[];
  ids: IdMention[];
  names: NameMention[];
  /** Every word with what claimed it, for filling slots by position once the intent is known. */
  words: WordSlot[];
  /** A single integer not claimed by anything else: a version or an id, depending on the intent. */
  loneNumber?: number;
  /** The message lower-cased with entities replaced by placeholders, for the classifier. */
  masked: string;
  /** The message lower-cased with slips corrected ("hw do i" → "how do i"), nothing masked. */
  corrected: string;
  /** An end said in words ("until tomorrow morning", "for the rest of the shift"), as written. */
  until?: string;
}

// Words a fuzzy match must never turn into an entity (they are one typo away from one); words that
// everyday chat uses often are never read as typos either (`prediction` is not `production`).
const EVERYDAY_MIN_COUNT = 3;
const NEVER_FUZZY = new Set([
  'error',
  'alert',
  'alerts',
  'model',
  'models',
  'status',
  'math',
  'into',
  'staying',
  'auto',
  'want',
  'ratio',
  'rate',
  'slowly',
  // "that's our cache warming" is no warning; "Request: error_ratio …" names no request rate
  'warming',
  'request',
  'requested',
  'requesting',
]);
// A Slack channel ("#incident-42", "#ops-alerts") or a ticket key ("INC-4521", "OPS-12") beside a
// command: a place or a reference, never a service, a model or an id.
const CHANNEL = /#[a-z]+(?:[-_][a-z0-9]+)+/g;
const TICKET = /\b[A-Z][A-Z0-9]{1,9}-\d+\b/g;
// A number that counts something else ("runbook step 5", "customer 1182", "ticket #2231", "build
// 4410", "sha 9f3e2c1", "slide 7", "by 5", a list's "1. "; "iris build 3" is a model's version): never
// a version or an id.
const MOOD_WORDS = new Set([
  'red',
  'big',
  'noisy',
  'annoying',
  'stupid',
  'damn',
  'usual',
  'same',
  'flapping',
]);
const NUMBERED_THING =
  /\b(?:step|customer|cliente|client|kunde|order|item|page|case|incident|ticket|job|issue|port|node|pod|record|inc|shard|partition|row|txn|transaction|payment|invoice|pr|mr|pipeline|class|batch|route|round|attempt|region|zone|cohort|bucket|sample|floor|room|sprint|wave|phase|application|app|coffee|day|week|dc|rack|slot|lane|gate|terminal|trip|driver|merchant|store|branch|account|acct)\s+(?:no\.?\s*|number\s+|#)?\d+(?:\s+(?:of|out\s+of)\s+\d+)?(?!\.?\d)|\b(?:run|try|test|drill|rehearsal)\s+#\d+|\bbuild\s+#?\d{3,}\b|\b(?:slide|by|at)\s+\d{1,2}\b(?![.:,]?\d)|(?:^|[:.!?]\s+)\d{1,2}[.)]\s+(?=[a-z@])|\b(?:sha|commit)\s+[0-9a-f]{6,40}\b/gi;
// A number that counts or measures something else, and a span said about it ("99 percent likely",
// "9 times in 2 hours", "5 features", "11 days to go", "auto-resolved within 5 minutes"): never a
// version, an id or a window. (After "version" the number is the version: "version 4 features 700 0.35".)
const COUNTED =
  /(?<!\b(?:version|ver|v)\.?\s*)\b\d+(?:[.,]\d+)?\s*(?:percent|%|times|customers?|users?|pods?|pages|restarts?|kills?|renewals?|tickets?|incidents|orders|features|values|inputs|fields|numbers)\b(?:\s+in\s+\d+\s*(?:hours?|hrs?|minutes?|mins?|days?|h|m|d)\b)?|\b\d+(?:,\d{3})*\s+(?:of|out\s+of|von|de|di|sur|z)\s+\d+(?:,\d{3})*\b|(?<![\d.]\/)\b\d+\/\d+\b(?!\/\d)|\b\d+\s+days?\s+to\s+go\b|\bwithin\s+\d+\s*(?:seconds?|secs?|minutes?|mins?|m)\b|\b(?:more|less|longer|shorter)\s+than\s+\d+(?:\.\d+)?\s*(?:seconds?|secs?|s|ms|minutes?|mins?)\b|\b(?:above|below|under|over|exceeds?|exceeded|clears?)\s+\d+(?:\.\d+)?\s*(?:ms|s|secs?|seconds?|%|percent)(?![\w.])|\bthreshold(?:\s+(?:is|of|should\s+be))?\s+\d+(?:\.\d+)?\s*(?:ms|s|secs?|seconds?|%|percent)?(?![\w.])/gi;
const NUMBER = /^\d+(?:\.\d+)?$/;
// Between two numbers of one row: spaces, commas, brackets, or "and" before the last ("0.3, 18 and 2").
const NUMBER_GAP = /^(?:[\s,;[\]()]*|,?\s+(?:and|&)\s+)-?$/;
// Between two values named in prose: a comma, then the next value's name ("…, sepal width 2.8").
const NAMED_VALUE_GAP = /^(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+)[a-z][a-z_ ]{0,30}?\s*[:=]?\s*-?$/;
// Before the first of them: its name ("Sepal length 5.7").
const NAMED_FIRST = /[a-z][a-z_]*\s*[:=]?\s*-?$/;
// A message about running a model on values ("score a single observation with iris").
// ("what would churn say for a customer with …", "what does fraud make of a transaction of …")
const FEATURE_PROSE =
  /\b(?:predict\w*|score|scoring|classify|infer|inference|observation|features?|inputs?|sample|sepal|petal|run\s+[\w-]+\s+(?:with|on|against)|(?:would|does|will)\s+(?:the\s+)?[\w-]+(?:\s+model)?\s+(?:say|think|make\s+of|give|return)|(?:for|of|on)\s+(?:a|an|one|this)\s+(?:customer|user|client|account|applicant|transaction|payment|flower|patient|record|row|case|order))\b/;
// Values named after them ("36 months tenure, 2 products and 89.5 monthly spend"): between two, the
// first one's name, then a comma or "and".
const VALUE_NAMED_GAP = /^\s+[a-z][a-z_ ]{0,30}?\s*(?:[,;]\s*(?:and\s+)?|\s+and\s+)$/;
// A name shaped like an identifier: words joined by hyphens, dots or underscores.
const LIVE_ROLLED_BACK =
  /\b(?:revert|rollback|roll back|roll-back)\s+(?:[\w-]+\s+)?live\b|\blive\s+back\b|\blive\s+(?:revert|rollback|roll\s*back)\b/;
// "put ltv-scorer v2 live", "make v9 live": a version put live goes to the production alias ("go
// live with X" names none).
const PUT_LIVE =
  /\b(?:put|push|make|set|get|take)\b[^.?!\n]*?(?:\bv?\d+|\bversion\s+[a-z]+)\b[^.?!\n]*?\blive\b(?!\s+with\b)/;
// "what would the live iris model predict", "the live fraud detector": the model production serves.
const LIVE_MODEL = /\blive\s+(?:[a-z][\w-]*\s+)?(?:model|classifier|predictor|detector)\b/;
// Hyphened words of everyday operations talk, never a name ("my first on-call shift").
const EVERYDAY_COMPOUNDS = new Set(
  'on-call off-hours follow-up sign-off check-in heads-up read-only real-time post-mortem hand-off set-up log-in roll-out e-mail re-run self-serve double-checked double-check cross-check re-fire re-fired re-check run-rate year-over-year week-over-week month-over-month all-hands customer-facing real-world pre-change post-change high-risk low-risk long-running short-lived built-in third-party end-to-end open-source on-prem well-known day-to-day one-off write-up stand-up go-live roll-call'.split(
    ' ',
  ),
);
// "keeps re-firing", "got re-deployed", "was un-acked": a verb with its prefix, never a name.
const PREFIXED_VERB = /^(?:re|un|de|mis|over|under|double|cross)-[a-z]+(?:ing|ed)$/;
// "eu-west", "us-east-1": a cloud region, never a service or a model.
const CLOUD_REGION =
  /^(?:us|eu|ap|sa|ca|me|af|il)-(?:east|west|north|south|central|northeast|southeast|northwest|southwest)(?:-\d)?$/;
const IDENTIFIER = /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+$/;
// Data jobs and tables named beside a request ("the nightly_orders_etl job", "dim_customers load",
// "row 88 of dim_customers", "the backfill of events_2026"): where the writer is working, never a
// service, an alert or a model.
const DATA_WORD_AFTER =
  /^\s+(?:job|jobs|table|tables|load|loader|snapshot|backfill|refresh|dag|etl|pipeline|task|partition|view|export|import|sync)\b/;
const DATA_WORD_BEFORE = /\b(?:backfill|snapshot|refresh|table|load|job|dag)\s+(?:of\s+|for\s+)?$/;
const WAREHOUSE_TABLE = /^(?:dim|fct|fact|stg|raw|int|mart|tmp|src)_/;
function isDataName(token: { text: string; start: number; end: number }, lower: string): boolean {
  if (!token.text.includes('_')) return false;
  return (
    WAREHOUSE_TABLE.test(token.text) ||
    DATA_WORD_AFTER.test(lower.slice(token.end, token.end + 16)) ||
    DATA_WORD_BEFORE.test(lower.slice(Math.max(0, token.start - 16), token.start))
  );
}
// A command-line flag's own name (`--dry-run`, `--field-selector`): an option, never a name.
const isFlagName = (token: { start: number }, lower: string) =>
  /(?:^|[\s(`'"])--?$/.test(lower.slice(Math.max(0, token.start - 3), token.start));
/** Whether the words follow each other with only spaces between them. */
const spacedRun = (lower: string, run: readonly Token[]) =>
  run.every((t, k) => k === 0 || /^\s+$/.test(lower.slice(run[k - 1]!.end, t.start)));
// Words that say what state a thing is in, one of which an alert rule's name said as words holds
// ("disk almost full", "kafka lag high", "cert expiring soon", "queue depth high").
export const ALERT_STATE_WORDS: ReadonlySet<string> = new Set(
  'full high low down lag lagging pressure spike spiking slow stuck failing failed expiring expired missing exhausted saturated backlog backlogged leak leaking overloaded throttled unreachable crashlooping oom'.split(
    ' ',
  ),
);
// Words of grammar or mood that never stand in a rule's name ("the same noisy alert").
const DESCRIBED_ALERT_FILLER = new Set(
  'the a an that this those these my our your their its on for of in at to from and or but any every all some same other new old last latest first noisy annoying stupid flapping usual big red is are was were be been it which what'.split(
    ' ',
  ),
);
// A command written as a method ("models.predict model=x …", "bot.alerts.ack"): the command, not a
// name ("model.pkl" is one: a file).
const COMMAND_PATH =
  /^(?:[a-z]+\.)?(?:models?|alerts?|silences?|history|auth|metrics|status)\.(?:list|ls|get|show|ack|acknowledge|silence|unsilence|mute|unmute|snooze|expire|create|delete|remove|promote|rollback|roll_back|predict|score|infer|status|health|history|link|whoami|query)$/;
// A software release ("v2.3.1"): never the name of a model or a service.
const RELEASE = /^v\d+(?:\.\d+)+$/;
// Where one clause of a message ends and another begins.
const CLAUSE_END = /[,;?!]|\.\s|\s(?:when|because|while|but)\s/g;
const COLON_RULE = /(?<![\w:/.-])[a-z][\w]*(?::[a-z_][\w]*){2,}(?![\w:/.-])/gi;
// A branch or a path ("feature/cache-fix", "origin/main", "charts/gateway"), never a model's owner.
const NOT_A_MODEL_OWNER =
  /^(?:feature|features|feat|fix|bugfix|hotfix|release|releases|origin|upstream|refs|heads|tags|chore|docs|refactor|tests?|ci|build|deploy|infra|k8s|helm|charts?|envs?|apis?|src|lib|apps?|services|svc|dev|main|master|users?|teams?|wip)$/;
const HUB_MODEL = /(?<![\w/.@-])([a-z0-9][a-z0-9_.-]*)\/([a-z0-9][a-z0-9_.-]*[a-z0-9])(?![\w/@-])/g;
const MODEL_AT_ALIAS = /\b([a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*)@([a-z][a-z0-9_-]*)\b/g;
// "from staging to production": an alias moved from one to another.
const TO_ALIAS = /\b(?:to|onto|into|->)\s+(?:the\s+)?([a-z][\w-]*)/g;
const FROM_TO = /\bfrom\s+([a-z][\w-]*)\s+(?:to|->|into|onto)\s+([a-z][\w-]*)/;
// Words that stand for a name in written-out syntax ("promote model@alias vN").
const SYNTAX_NAME_WORD = /^(?:model|models|name|modelname|model-name|model_name|mymodel|my-model|x|foo)$/;
const VERSION_WORD = /^(?:version|ver|revision|rev)$/;
const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map(
  'first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth'
    .split(' ')
    .map((w, i) => [w, i + 1] as const),
);
// Words before "the 14th" that make it a day, and words after an ordinal that make it no version.
const DATE_BEFORE = /^(?:since|on|until|till|til|from|before|after|by|of|through)$/;
const NOT_A_VERSION_AFTER =
  /^(?:of|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|day|week|month|hour|minute|time|percentile|place|attempt|try|one|alert|silence|incident)$/;
// What comes before the version a change goes to.
const TARGET_BEFORE = /(?:\bto|->|\bat|\bonto)\s+(?:the\s+)?$/;
// A bare number a change goes to after another version was named ("fraud v12 is broken, roll it
// back to 11", "move prod from v4 to 5"): the version, not an id.
const BARE_TARGET_BEFORE = /(?:\bto|->)\s*$/;
const RESOLVED_KEYS = new Set<string>(['service', 'model', 'alert', 'alias']);
// ("is auth up? and the model server?": a second question that only adds a name lists it too.)
const LIST_GAP =
  /^\s*(?:,|&|\/|and|or|,\s*and|,\s*or|(?:\s*(?:up|down|ok|okay|fine|healthy|alive|running|working))?\s*[?]\s*(?:and|or|also|plus|(?:and\s+)?what\s+about|how\s+about))\s*(?:the\s+)?$/;
/** Words before "alert" that point at it ("the", "that") and are no part of its name. */
const POINTERS = new Set([
  'the',
  'that',
  'this',
  'those',
  'these',
  'a',
  'an',
  'my',
  'our',
  'your',
  'its',
  'all',
  'any',
  'current',
  'firing',
  'active',
  'open',
  'new',
  'one',
  'same',
  'ack',
  'silence',
  'mute',
  'unmute',
]);
const ALERT_VERB = /^(?:ack|acknowledge|silence|mute|snooze|unmute|unsilence|hush|shush)$/;
/** Whether a word is a part of an alert rule's name (its segments), as written or in everyday words. */
const isPart = (own: readonly string[], word: string) =>
  own.includes(word) || (PART_WORDS[word] !== undefined && own.includes(PART_WORDS[word]));
/** Everyday words for the parts of alert rule names: "error rate" for HighErrorRatio. */
const PART_WORDS: Record<string, string> = {
  rate: 'ratio',
  // "the alert about errors": the error ratio's, not the error budget's
  errors: 'ratio',
  err: 'error',
  errs: 'ratio',
  slowness: 'latency',
  slow: 'latency',
  // 5xx is the error ratio, not the error budget
  '5xx': 'ratio',
  outage: 'down',
  svc: 'service',
  dead: 'down',
};
// "is ml answering requests", "is the gateway taking traffic": whether it serves at all, a health
// question, not a request rate ("how many requests is it handling" names the rate).
const SERVING =
  /\b(?:answering|serving|taking|accepting|responding to|processing)\s+(?:any\s+|the\s+|our\s+)?(requests|traffic|calls)\b/g;
// A time of day or of the rota said in words ("until tomorrow morning", "since lunch", "for the rest
// of the shift", "till eod"): when a silence should end or since when something is asked about.
// It is no duration or window to set, but it stands where one goes, so the classifier sees it as
// one (`_dur_`) rather than as talk of mornings and lunches.
const DAY_PART = '(?:morning|afternoon|evening|night)';
const TIME_PHRASE = new RegExp(
  String.raw`\b(?:(?:until|till|til|untill|thru|through|since|by|before|after)\s+(?:the\s+)?(?:tomorrow(?:\s+${DAY_PART})?|tonight|today|midnight|noon|lunch(?:time)?|eod|eow|cob|end\s+of\s+(?:the\s+|my\s+|this\s+)?(?:day|shift|week|sprint)|(?:this|last)\s+${DAY_PART}|${DAY_PART}|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:next\s+)?(?:standup|deploy|release|handover|handoff)|(?:the|that|this|last)\s+(?:incident|outage|failover|migration|rollback|restart|upgrade|maintenance|deploy|release|page))|(?:for\s+)?the\s+rest\s+of\s+(?:the\s+|my\s+|this\s+)?(?:shift|day|night|week|evening)|(?:this|last|tomorrow)\s+${DAY_PART}|overnight)\b`,
  'g',
);
// Of those, the ones that say when something should end.
const UNTIL = /^(?:until|till|til|untill|thru|through|by|before|for the rest|the rest)\b/;
// A signal named down to its percentile ("p95", "95th percentile", "median").
const PERCENTILE = /\bp\d{2}\b|\b\d{2}(?:th)?\s*(?:percentile|pct)\b|\bmedian\b/;
// Everyday words that hint at a signal (how it feels) rather than name one.
const HINTS: ReadonlySet<string> = new Set(
  'slow slowness sluggish laggy lag fast speed snappy snappiness responsive how fast hot busy load loaded loader'.split(
    ' ',
  ),
);

/**
 * Finds entities in a message, syntax first: shapes (ids, `model@alias`, CamelCase alert names,
 * identifiers, durations, numbers in digits or words), then words and phrases of the live lexicon.
 * A written name resolves to a known one when it is the same or clearly a typo of it; otherwise it
 * is kept as written, with the near known names as suggestions.
 *
 * @example new EntityExtractor(DEFAULT_LEXICON).extract('p99 of ml over the last 30 minutes').entities
 * // { service: 'ml-service', signal: 'latency_p99', window: '30m' }
 */
export class EntityExtractor {
  readonly vocabulary: Vocabulary;

  constructor(
    lexicon: Lexicon,
    private readonly everyday?: EverydayWords,
  ) {
    this.vocabulary = new Vocabulary(lexicon);
    this.alertParts = this.vocabulary.names.alert.map((name) => [name, segments(name)] as const);
  }

  /** Each known alert rule with the parts of its name ("ErrorBudgetBurnFast": error budget burn fast). */
  private readonly alertParts: readonly (readonly [string, readonly string[]])[];

  extract(text: string): Extraction {
    const lower = text.toLowerCase();
    // Offsets are shared between the two copies; if lower-casing changed the length, use one copy.
    const original = lower.length === text.length ? text : lower;
    const spans = new SpanSet();
    const resolutions: Resolution[] = [];
    const names: NameMention[] = [];
    const found = findPatternEntities(original, spans);
    for (const m of [
      ...original.matchAll(CHANNEL),
      ...original.matchAll(TICKET),
      ...original.matchAll(NUMBERED_THING),
      ...original.matchAll(COUNTED),
    ])
      if (spans.isFree(m.index, m.index + m[0].length)) spans.take(m.index, m.index + m[0].length, 'ref');
    const entities: Entities = { ...found };
    delete entities.alert;
    if (found.alert !== undefined) this.resolve('alert', found.alert, entities, resolutions);
    for (const m of lower.matchAll(MODEL_AT_ALIAS)) {
      const [whole, model, alias] = m;
      if (!spans.isFree(m.index, m.index + whole.length)) continue;
      // "model@alias" itself is the syntax written out, not a name.
      if (SYNTAX_NAME_WORD.test(model!)) {
        spans.take(m.index, m.index + whole.length, 'syntax');
        continue;
      }
      spans.take(m.index, m.index + whole.length, 'model');
      if (!this.resolve('model', model!, entities, resolutions))
        names.push({ text: model!, start: m.index, end: m.index + model!.length, kind: 'model' });
      if (!this.resolve('alias', alias!, entities, resolutions)) entities.alias ??= alias!;
    }
    // A rule named as recording rules are, by level, metric and operation ("SLO:checkout:availability",
    // "job:http_errors:rate5m"): an alert rule, as written.
    if (entities.alert === undefined)
      for (const m of original.matchAll(COLON_RULE)) {
        if (!spans.isFree(m.index, m.index + m[0].length)) continue;
        spans.take(m.index, m.index + m[0].length, 'alert');
        this.resolve('alert', m[0], entities, resolutions);
        break;
      }
    // A model as model hubs name it, its owner and name ("acme/sentiment-roberta", "baai/bge-small-en").
    for (const m of lower.matchAll(HUB_MODEL)) {
      const [whole, owner, name] = m;
      if (!spans.isFree(m.index, m.index + whole.length) || !this.hubModel(owner!, name!)) continue;
      spans.take(m.index, m.index + whole.length, 'model');
      if (!this.resolve('model', whole, entities, resolutions))
        names.push({ text: whole, start: m.index, end: m.index + whole.length, kind: 'model' });
    }
    for (const d of findDurations(lower)) {
      if (!spans.isFree(d.start, d.end)) continue;
      spans.take(d.start, d.end, 'dur');
      entities.window ??= d.value;
    }
    let until: string | undefined;
    for (const m of lower.matchAll(TIME_PHRASE)) {
      if (!spans.isFree(m.index, m.index + m[0].length)) continue;
      spans.take(m.index, m.index + m[0].length, 'dur');
      if (UNTIL.test(m[0])) until ??= m[0];
    }
    // A known rule's name in any case ("ACK HIGHLATENCYP99") is that rule, not an id with a digit.
    if (entities.alert === undefined)
      for (const name of this.vocabulary.names.alert) {
        const at = lower.indexOf(name.toLowerCase());
        const edge = (c: string | undefined) => c === undefined || !/[\w-]/.test(c);
        if (at < 0 || !edge(lower[at - 1]) || !edge(lower[at + name.length])) continue;
        if (!spans.isFree(at, at + name.length)) continue;
        spans.take(at, at + name.length, 'alert');
        entities.alert = name;
        break;
      }
    const ids = findIdMentions(lower, spans);
    const tokens = tokenize(lower);
    if (entities.alert === undefined) this.spokenAlert(lower, tokens, spans, entities, resolutions);
    const free = () => tokens.filter((t) => spans.isFree(t.start, t.end));
    for (const m of lower.matchAll(SERVING)) {
      const start = m.index + m[0].length - m[1]!.length;
      if (spans.isFree(start, start + m[1]!.length)) spans.take(start, start + m[1]!.length, 'serving');
    }
    this.correctSlips(free(), spans);
    this.matchPhrases(free(), entities, spans);
    this.matchVersion(lower, free(), entities, spans);
    for (const token of free()) {
      const kind = this.matchToken(token.text, entities, resolutions);
      if (kind) spans.take(token.start, token.end, kind);
      else if (
        IDENTIFIER.test(token.text) &&
        !/^\d/.test(token.text) &&
        !isDataName(token, lower) &&
        !RELEASE.test(token.text) &&
        // "est-ce", "celle-là": hyphened grammar words of other languages, not names
        !FOREIGN_FUNCTION_WORDS.has(token.text) &&
        !EVERYDAY_COMPOUNDS.has(token.text) &&
        !PREFIXED_VERB.test(token.text) &&
        !CLOUD_REGION.test(token.text) &&
        !isFlagName(token, lower) &&
        !COMMAND_PATH.test(token.text)
      ) {
        spans.take(token.start, token.end, 'name');
        names.push({ ...token });
      } else if (/^(?:alias|tag)$/.test(token.text)) spans.take(token.start, token.end, 'aliasword');
    }
    this.preferNamedSignal(lower, spans, entities);
    this.preferAskedService(lower, spans, entities);
    this.targetAlias(lower, entities);
    const loneNumber = this.matchNumbers(lower, free(), entities, spans);
    const words: WordSlot[] = tokens.map((t) => {
      const claim = spans.spans.find((s) => t.start < s.end && t.end > s.start);
      return claim ? { ...t, kind: claim.kind } : { ...t };
    });
    const out: Extraction = {
      entities,
      resolutions,
      ids,
      names,
      words,
      masked: spans.mask(lower),
      corrected: spans.corrected(lower),
    };
    if (loneNumber !== undefined) out.loneNumber = loneNumber;
    if (until !== undefined) out.until = until;
    return out;
  }

  /**
   * Of two services in one message, the one asked about: the last clause naming a service, unless
   * it rules that one out ("gateway returns 502 when it calls auth, is auth itself alive?" asks
   * about auth; "list gateway alerts, not the auth ones" about the gateway). Clauses end at
   * punctuation and at "when", "because", "while", "but".
   */
  private preferAskedService(lower: string, spans: SpanSet, entities: Entities): void {
    const named = spans.spans
      .filter((s) => s.kind === 'service')
      .map((s) => {
        const text = lower.slice(s.start, s.end);
        const value =
          this.vocabulary.resolve('service', text)?.value ?? this.vocabulary.phrases.get(text)?.value;
        return { start: s.start, value };
      })
      .filter((n): n is { start: number; value: string } => n.value !== undefined)
      // (In the order they stand: a phrase is claimed before single words are.)
      .sort((a, b) => a.start - b.start);
    if (new Set(named.map((n) => n.value)).size < 2) return;
    // A list of services ("status of ml, prom and the bot", "checkout or orders-svc"): the first,
    // as a list of ids is read by its first.
    const listed = named.every(
      (n, k) =>
        k === 0 ||
        LIST_GAP.test(lower.slice(spans.spans.find((s) => s.start === named[k - 1]!.start)!.end, n.start)),
    );
    if (listed) {
      entities.service = named[0]!.value;
      return;
    }
    const ends = [...lower.matchAll(CLAUSE_END)].map((m) => m.index);
    const clauseOf = (at: number) => Math.max(-1, ...ends.filter((e) => e < at));
    // Services listed in one clause ("is auth and ml up") are asked about together: the first.
    if (new Set(named.map((n) => clauseOf(n.start))).size < 2) return;
    for (const n of [...named].reverse()) {
      const from = clauseOf(n.start);
      if (/\bnot\s+(?:the\s+|any\s+|on\s+)?$/.test(lower.slice(from + 1, n.start))) continue;
      // The first service of the last clause that names one, not ruled out.
      entities.service = named.find((m) => clauseOf(m.start) === from && m.start <= n.start)!.value;
      return;
    }
  }

  /**
   * Whether `owner/name` is a hub's model id: a name shaped as one (a dash, underscore, dot or digit
   * in it: "sentiment-roberta", "gpt2"), neither half a known name or an everyday word ("and/or",
   * "auth/ml", "ci/cd"), nor a branch or a path ("feature/cache-fix").
   */
  private hubModel(owner: string, name: string): boolean {
    const plain = (w: string) => COMMON_WORDS.has(w) || this.vocabulary.exact.has(w) || /^\d+$/.test(w);
    return (
      /[-_.\d]/.test(name) &&
      /[a-z]/.test(name) &&
      /[a-z]/.test(owner) &&
      !plain(owner) &&
      !plain(name) &&
      !NOT_A_MODEL_OWNER.test(owner)
    );
  }

  /** The alias a change goes to: of "from staging to production", the second. */
  private targetAlias(lower: string, entities: Entities): void {
    const move = FROM_TO.exec(lower);
    const to =
      move && this.vocabulary.resolve('alias', move[1]!) && this.vocabulary.resolve('alias', move[2]!);
    if (to) entities.alias = to.value;
    // ("v14 beating champion, promote fraud v14 to challenger": the alias after "to".)
    else if (entities.alias !== undefined) {
      const targets = [...lower.matchAll(TO_ALIAS)].map(
        (m) => this.vocabulary.resolve('alias', m[1]!)?.value,
      );
      const target = targets.filter((t) => t !== undefined).at(-1);
      if (target) entities.alias = target;
    }
    // "revert live fraud", "roll back live": the alias that is rolled back, said as "live"; "put
    // v2 live": the one a version goes to.
    else if (
      entities.alias === undefined &&
      (LIVE_ROLLED_BACK.test(lower) || PUT_LIVE.test(lower) || LIVE_MODEL.test(lower)) &&
      this.vocabulary.names.alias.includes('production')
    )
      entities.alias = 'production';
  }

  /**
   * Resolves a written name of one kind; records how. Returns false when the name is unknown (the
   * caller decides whether to keep it as written).
   */
  private resolve(kind: NameKind, written: string, entities: Entities, resolutions: Resolution[]): boolean {
    const hit = this.vocabulary.resolve(kind, written);
    const record = RESOLVED_KEYS.has(kind);
    if (!hit) {
      if (kind === 'alert') {
        entities.alert ??= written;
        const known = this.vocabulary.names.alert;
        resolutions.push({
          key: 'alert',
          written,
          value: written,
          match: 'unknown',
          suggestions: nearNames(written, known),
        });
      }
      return false;
    }
    const slot = entities as Record<string, unknown>;
    if (slot[kind] !== undefined) return true;
    slot[kind] = hit.value;
    if (record) {
      const key = kind as Resolution['key'];
      resolutions.push({ key, written, value: hit.value, match: hit.match, suggestions: [] });
    }
    return true;
  }

  /**
   * An alert name said as words beside the word "alert" ("silence alert service down", "the high
   * error ratio alert"): two to four words that, joined, are exactly a known alert name.
   */
  private spokenAlert(
    lower: string,
    tokens: Token[],
    spans: SpanSet,
    entities: Entities,
    resolutions: Resolution[],
  ): void {
    const free = tokens.filter((t) => spans.isFree(t.start, t.end));
    const joined = (run: Token[]) => (spacedRun(lower, run) ? run.map((t) => t.text).join('') : undefined);
    for (let i = 0; i < free.length; i++) {
      if (!/^alerts?$/.test(free[i]!.text)) continue;
      for (let n = 4; n >= 2; n--) {
        for (const run of [free.slice(i + 1, i + 1 + n), free.slice(Math.max(0, i - n), i)]) {
          const name = run.length === n ? joined(run) : undefined;
          if (!name || this.vocabulary.exact.get(name) !== 'alert') continue;
          spans.take(run[0]!.start, run[n - 1]!.end, 'alert');
          this.resolve('alert', name, entities, resolutions);
          return;
        }
      }
    }
    // "the latency one", "the latency thing", "the p99 monitor" (as Datadog calls a rule): the alert, when the words before name exactly one.
    for (let i = 0; i < free.length; i++) {
      if (
        /^(?:alerts?|alrts?|alarms?|monitors?|one|thing)$/.test(free[i]!.text) &&
        this.partialAlert(lower, free, i, spans, entities, resolutions)
      )
        return;
    }
    if (this.nicknamedAlert(lower, free, spans, entities, resolutions)) return;
    if (this.describedAlert(lower, free, spans, entities, resolutions)) return;
    // "ack 5xx gw", "mute latency on ml 1h", "ack gw p99": one word of one rule's name right after an
    // alert verb, a service word aside.
    for (let i = 1; i < free.length; i++) {
      let p = i - 1;
      if (p > 0 && this.vocabulary.exact.get(free[p]!.text) === 'service') p--;
      const prev = free[p]!;
      const t = free[i]!;
      if (!ALERT_VERB.test(prev.text) || !/^\s+$/.test(lower.slice(free[i - 1]!.end, t.start))) continue;
      if (
        this.vocabulary.exact.get(t.text) === 'service' ||
        COMMON_WORDS.has(t.text) ||
        /^(?:svc|services?)$/.test(t.text)
      )
        continue;
      const named = this.alertParts.filter(([, parts]) => isPart(parts, t.text)).map(([name]) => name);
      if (named.length !== 1) continue;
      spans.take(t.start, t.end, 'alert');
      this.resolve('alert', named[0]!, entities, resolutions);
      return;
    }
  }

  /**
   * A rule this platform does not know, said as the words of its name: three words that say what is
   * wrong with what ("the disk almost full alert", "kafka lag high alerts", "the alert of disk
   * almost full") are the rule named so in CamelCase (`DiskAlmostFull`), as a team writes it. One
   * of the words must say a state (full, high, lag, expiring …) and none may be a known name or
   * severity (a signal's word may: "lag") or a word of grammar, so "the same noisy alert" names nothing.
   */
  private describedAlert(
    lower: string,
    free: Token[],
    spans: SpanSet,
    entities: Entities,
    resolutions: Resolution[],
  ): boolean {
    const plain = (t: Token) =>
      /^[a-z]{2,}$/.test(t.text) &&
      // (A signal's word may be part of it: "kafka lag high".)
      (this.vocabulary.exact.get(t.text) ?? 'signal') === 'signal' &&
      conceptOf(t.text) === undefined &&
      !DESCRIBED_ALERT_FILLER.has(t.text);
    for (let i = 0; i < free.length; i++) {
      const word = free[i]!.text;
      const before = /^(?:alerts?|alrts?|alarms?)$/.test(word) ? free.slice(Math.max(0, i - 3), i) : [];
      // ("the alert of disk almost full")
      const after = /^alerts?$/.test(word) && free[i + 1]?.text === 'of' ? free.slice(i + 2, i + 5) : [];
      for (const run of [before, after]) {
        if (run.length !== 3 || !spacedRun(lower, run) || !run.every(plain)) continue;
        if (!run.some((t) => ALERT_STATE_WORDS.has(t.text))) continue;
        const name = run.map((t) => t.text[0]!.toUpperCase() + t.text.slice(1)).join('');
        spans.take(run[0]!.start, run[2]!.end, 'alert');
        this.resolve('alert', name, entities, resolutions);
        return true;
      }
    }
    return false;
  }

  /**
   * An alert called by two words of its name without the word "alert" ("silence fast burn 1h",
   * "slow burn firing?"): two adjacent words, both parts of exactly one known rule's name, one of
   * them a word of that name alone (not everyday English, not a signal: "high latency" stays the
   * latency signal, "error budget" names two rules).
   */
  private nicknamedAlert(
    lower: string,
    free: Token[],
    spans: SpanSet,
    entities: Entities,
    resolutions: Resolution[],
  ): boolean {
    const own = (t: Token) =>
      !COMMON_WORDS.has(t.text) &&
      !HINTS.has(t.text) &&
      PART_WORDS[t.text] === undefined &&
      !/^services?$/.test(t.text) &&
      this.vocabulary.exact.get(t.text) === undefined;
    const pairs: Token[][] = [];
    for (let i = 0; i < free.length; i++) {
      const t = free[i]!;
      // "fast-burn": the two words hyphened
      const hyphened = /^([a-z]+)-([a-z]+)$/.exec(t.text);
      if (hyphened) {
        const cut = t.start + hyphened[1]!.length;
        pairs.push([
          { text: hyphened[1]!, start: t.start, end: cut },
          { text: hyphened[2]!, start: cut + 1, end: t.end },
        ]);
      }
      const next = free[i + 1];
      if (next && /^\s+$/.test(lower.slice(t.end, next.start))) pairs.push([t, next]);
    }
    for (const pair of pairs) {
      if (!pair.some(own) || this.vocabulary.phrases.has(`${pair[0]!.text} ${pair[1]!.text}`)) continue;
      const named = this.alertParts
        .filter(([, parts]) => pair.every((t) => isPart(parts, t.text)))
        .map(([name]) => name);
      if (named.length !== 1) continue;
      spans.take(pair[0]!.start, pair[1]!.end, 'alert');
      return this.resolve('alert', named[0]!, entities, resolutions);
    }
    return false;
  }

  /**
   * An alert named by part of its name before the word "alert" ("the latency alert", "that error
   * rate alert", "the fast burn alert"): the words right before it, each a part of the name
   * (a service word may stand among them), naming exactly one known rule. "the error alert" names
   * three rules of the default pack, so none is taken.
   */
  private partialAlert(
    lower: string,
    free: Token[],
    at: number,
    spans: SpanSet,
    entities: Entities,
    resolutions: Resolution[],
  ): boolean {
    const words: Token[] = [];
    const partOfAny = (word: string) => this.alertParts.some(([, parts]) => isPart(parts, word));
    for (let k = at - 1; k >= 0 && words.length < 3; k--) {
      const t = free[k]!;
      const next = free[k + 1]!;
      if (POINTERS.has(t.text) || !/^\s+$/.test(lower.slice(t.end, next.start))) break;
      // ("remove silence on p99 alert", "auth ka latency alert": the words of the name end at one
      // that is no part of any, a service or a mood word aside.)
      const aside = this.vocabulary.exact.get(t.text) === 'service' || MOOD_WORDS.has(t.text);
      if (!aside && !partOfAny(t.text)) break;
      words.unshift(t);
    }
    // ("the latency red thing": a colour or a mood is no part of a rule's name.)
    const parts = words.filter(
      (t) => this.vocabulary.exact.get(t.text) !== 'service' && !MOOD_WORDS.has(t.text),
    );
    // "the login service alerts": "service" alone is whose alerts they are, not ServiceDown.
    if (parts.length === 0 || (parts.length === 1 && /^services?$/.test(parts[0]!.text))) return false;
    const named = this.alertParts
      .filter(([, own]) => parts.every((t) => isPart(own, t.text)))
      .map(([name]) => name);
    if (named.length !== 1) return false;
    for (const t of parts) spans.take(t.start, t.end, 'alert');
    return this.resolve('alert', named[0]!, entities, resolutions);
  }

  /**
   * Of several signals, one named as a metric ("the p95", "error rate") wins over an everyday word
   * that only hints at one ("checkout feels slow, pull the p95"); otherwise the first stays.
   */
  private preferNamedSignal(lower: string, spans: SpanSet, entities: Entities): void {
    const found = spans.spans.filter((s) => s.kind === 'signal').sort((a, b) => a.start - b.start);
    if (found.length < 2) return;
    const written = found.map((s) => lower.slice(s.start, s.end));
    const signalOf = (w: string | undefined) =>
      w === undefined
        ? undefined
        : (this.vocabulary.phrases.get(w)?.value ?? this.vocabulary.resolve('signal', w)?.value);
    // "latncy p95": latency said in general loses to its percentile named after it.
    const percentile = written.find((w) => PERCENTILE.test(w));
    if (percentile && !PERCENTILE.test(written[0]!) && signalOf(written[0])?.startsWith('latency')) {
      const value = signalOf(percentile);
      if (value) entities.signal = value;
      return;
    }
    // Two signals named, neither a hint ("auth p99 and error rate"): the first, as a list is read.
    if (!written.some((w) => HINTS.has(w))) {
      const first = signalOf(written[0]);
      if (first) entities.signal = first;
      return;
    }
    if (!HINTS.has(written[0]!)) return;
    const value = signalOf(written.find((w) => !HINTS.has(w)));
    if (value) entities.signal = value;
  }

  private matchPhrases(tokens: Token[], entities: Entities, spans: SpanSet): void {
    for (let i = 0; i < tokens.length; i++) {
      for (let n = Math.min(4, tokens.length - i); n >= 2; n--) {
        const phrase = tokens
          .slice(i, i + n)
          .map((t) => t.text)
          .join(' ');
        // ("the scoring services", and "service" that a slip fix made plural: the phrase in the singular.)
        const hit =
          this.vocabulary.phrases.get(phrase) ??
          (phrase.endsWith('s') ? this.vocabulary.phrases.get(phrase.slice(0, -1)) : undefined);
        if (!hit) continue;
        const start = tokens[i]!.start;
        const end = tokens[i + n - 1]!.end;
        if (!spans.isFree(start, end)) continue;
        spans.take(start, end, hit.kind);
        (entities as Record<string, unknown>)[hit.kind] ??= hit.value;
        i += n - 1;
        break;
      }
    }
  }

  /**
   * `v3`, `version 2`, `revision four`. Of several, the one a change goes to wins ("iris v3 is
   * broken, go back to v2", "move prod from v4 to v5"); otherwise the first.
   */
  private matchVersion(lower: string, tokens: Token[], entities: Entities, spans: SpanSet): void {
    const spelled = findNumberWords(lower);
    let target = false;
    const take = (value: number, start: number, end: number) => {
      spans.take(start, end, 'ver');
      const isTarget = TARGET_BEFORE.test(lower.slice(Math.max(0, start - 12), start));
      if (entities.version === undefined || (isTarget && !target)) {
        entities.version = value;
        target = isTarget;
      }
    };
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const compact = /^v(\d+)$/.exec(t.text);
      if (compact) {
        take(Number(compact[1]), t.start, t.end);
        continue;
      }
      const next = tokens[i + 1];
      // "the 2nd version", "3rd revision", "the twelfth version": an ordinal before the version word.
      const ordinal = /^(\d+)(?:st|nd|rd|th)$/.exec(t.text);
      const nth = ordinal ? Number(ordinal[1]) : ORDINAL_WORDS.get(t.text);
      if (
        nth !== undefined &&
        next &&
        VERSION_WORD.test(next.text) &&
        /^\s+$/.test(lower.slice(t.end, next.start))
      ) {
        take(nth, t.start, next.end);
        i++;
        continue;
      }
      // "give the 9th iris a go", "promote churn the 14th to prd", "back to the 7th": an ordinal
      // after "the" where no date is meant ("since the 14th", "the 3rd of May", "the 2nd hour").
      const prev = tokens[i - 1];
      if (
        ordinal &&
        prev?.text === 'the' &&
        /^\s+$/.test(lower.slice(prev.end, t.start)) &&
        !DATE_BEFORE.test(tokens[i - 2]?.text ?? '') &&
        !NOT_A_VERSION_AFTER.test(next?.text ?? '')
      ) {
        take(nth!, t.start, t.end);
        continue;
      }
      if (!VERSION_WORD.test(t.text)) continue;
      if (next && /^\d+$/.test(next.text) && /^\s+$/.test(lower.slice(t.end, next.start))) {
        take(Number(next.text), t.start, next.end);
        i++;
        continue;
      }
      const words = spelled.find((n) => /^\s+$/.test(lower.slice(t.end, n.start)));
      if (words && spans.isFree(words.start, words.end)) take(words.value, t.start, words.end);
    }
  }

  /**
   * Respells a word that is no name and no everyday word but one slip from a common one, so the
   * phrases, the classifier and the question forms read it ("eror rate", "hw do i").
   */
  private correctSlips(tokens: Token[], spans: SpanSet): void {
    if (!this.everyday) return;
    for (const t of tokens) {
      // A word of everyday English is never a slip for another ("asking" is not "acking").
      if (
        this.everyday.has(t.text) ||
        COMMON_WORDS.has(t.text) ||
        // ("the sixth version" is no slip for "sixty".)
        ORDINAL_WORDS.has(t.text) ||
        !/^[a-z]{4,}$/.test(t.text) ||
        conceptOf(t.text) !== undefined
      )
        continue;
      if (this.vocabulary.exact.has(t.text)) continue;
      if (NAME_KINDS.some((k) => this.vocabulary.resolve(k, t.text))) continue;
      const fixed = this.everyday.correct(t.text);
      if (!fixed) continue;
      spans.rewrite(t.start, t.end, fixed);
      t.text = fixed;
    }
  }

  /** The kind a single word is a known name of (claiming it), if any. */
  private matchToken(word: string, entities: Entities, resolutions: Resolution[]): NameKind | undefined {
    const exact = this.vocabulary.exact.get(word);
    if (exact) {
      this.resolve(exact, word, entities, resolutions);
      return exact;
    }
    if (word.length < 4 || NEVER_FUZZY.has(word) || (this.everyday?.count(word) ?? 0) >= EVERYDAY_MIN_COUNT)
      return undefined;
    for (const kind of NAME_KINDS) {
      if (!this.vocabulary.resolve(kind, word)) continue;
      this.resolve(kind, word, entities, resolutions);
      return kind;
    }
    return undefined;
  }

  /** Runs of two or more numbers are feature vectors; a lone integer may be a version or an id. */
  private matchNumbers(
    lower: string,
    tokens: Token[],
    entities: Entities,
    spans: SpanSet,
  ): number | undefined {
    const numeric = tokens.filter((t) => NUMBER.test(t.text));
    let runs = numberRuns(lower, numeric, NUMBER_GAP);
    // Values named in prose for a model ("sepal length 5.7, sepal width 2.8, petal length 4.1"):
    // three or more, each after its name, make the row when the message has no plain one.
    if (runs.every((r) => r.length < 2) && numeric.length >= 3 && FEATURE_PROSE.test(lower)) {
      const named = numberRuns(lower, numeric, NAMED_VALUE_GAP);
      if (named.some((r) => r.length >= 3 && NAMED_FIRST.test(lower.slice(0, r[0]!.start)))) runs = named;
      else {
        const after = numberRuns(lower, numeric, VALUE_NAMED_GAP);
        if (after.some((r) => r.length >= 3 && /^\s+[a-z]/.test(lower.slice(r[r.length - 1]!.end))))
          runs = after;
      }
    }
    let lone: number | undefined;
    for (const run of runs) {
      const values = run.map((t) => Number(t.text) * (lower[t.start - 1] === '-' ? -1 : 1));
      if (run.length >= 2 && entities.features === undefined) {
        entities.features = values;
        spans.take(run[0]!.start, run[run.length - 1]!.end, 'feat');
      } else if (
        run.length === 1 &&
        Number.isInteger(values[0]) &&
        entities.version !== undefined &&
        BARE_TARGET_BEFORE.test(lower.slice(Math.max(0, run[0]!.start - 8), run[0]!.start)) &&
        // (Not a score: "approved it with 5 votes to 1".)
        !/\b\d+\s+[a-z]{2,}s\s+to\s*$/.test(lower.slice(Math.max(0, run[0]!.start - 24), run[0]!.start))
      ) {
        entities.version = values[0]!;
        spans.take(run[0]!.start, run[0]!.end, 'ver');
      } else if (
        run.length === 1 &&
        Number.isInteger(values[0]) &&
        lone === undefined &&
        !countsSomething(lower, run[0]!)
      ) {
        lone = values[0];
        spans.take(run[0]!.start, run[0]!.end, 'num');
      }
    }
    // A whole number in words where a version or an id goes ("promote iris three to staging");
    // "one" is too often a pronoun ("the ServiceDown one") to count.
    if (lone === undefined)
      for (const n of findNumberWords(lower)) {
        if (!spans.isFree(n.start, n.end) || /^one$/.test(lower.slice(n.start, n.end))) continue;
        lone = n.value;
        spans.take(n.start, n.end, 'num');
        break;
      }
    return lone;
  }
}

// A number that counts things or is an amount, a clock time or a part of one ("600 drivers", "3
// fallos", "$88", "um 08:30"): never a version or an id by itself. (The words after a version or an
// id in the labelled messages that end in -s are these: "7 pls", "v3 alias", "4 features", "12 looks
// fine", Finnish "kiitos", Spanish "unos".)
const COUNT_AFTER =
  /^\s+(?:(?!(?:for|till|until|on|in|at|to|by|from|with|the|a|an|and|or|but|so|as|per|about|after|before|since|because|bc|cos|while|during|of|via|pls|plz|please|thanks|mins|hours|days|secs|minutes|seconds)\b)[a-z]{3,}\s+)?(?!(?:pls|plis|pliis|alias|aliases|features|feats|looks|seems|says|needs|works|runs|fails|keeps|goes|does|has|is|was|as|exists|means|happens|shows|makes|takes|gets|stays|unless|across|thanks|thx|plus|always|hours|hrs|mins|secs|days|les|los|las|unos|estos|fins|kiitos|dos|tres|mas|pues|melis)\b)[a-z]{2,}s\b/;
const AMOUNT_OR_CLOCK_BEFORE = /(?:[$€£¥]\s?|\d[:.]|:)$/;
const AMOUNT_OR_CLOCK_AFTER = /^(?:\s?(?:usd|eur|gbp|dollars|euros|bucks|quid)\b|:\d|[.,]\d)/;

// A sentence said to a colleague ("… revert iris production. @priyanka the clients send 4").
const TO_A_COLLEAGUE = /(?:^|[.!?]\s+|\n)\s*@[\w.-]+\b[^.!?\n]*$/;

function countsSomething(lower: string, t: Token): boolean {
  const after = lower.slice(t.end, t.end + 24);
  return (
    TO_A_COLLEAGUE.test(lower.slice(Math.max(0, t.start - 160), t.start)) ||
    COUNT_AFTER.test(after) ||
    AMOUNT_OR_CLOCK_AFTER.test(after) ||
    AMOUNT_OR_CLOCK_BEFORE.test(lower.slice(Math.max(0, t.start - 2), t.start))
  );
}

/** Numbers grouped into rows: each joins the one before it when the text between fits `gap`. */
function numberRuns(lower: string, numeric: Token[], gap: RegExp): Token[][] {
  const runs: Token[][] = [];
  for (const t of numeric) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && gap.test(lower.slice(prev.end, t.start))) run.push(t);
    else runs.push([t]);
  }
  return runs;
}
