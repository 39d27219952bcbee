import { COMMON_WORDS } from './common-words.js';
import { conceptOf } from './concepts.js';
import { ALERT_STATE_WORDS, type Extraction, type WordSlot } from './entity-extractor.js';
import { FOREIGN_FUNCTION_WORDS } from './foreign-words.js';
import { editDistance } from './fuzzy.js';
import { type Entities, entitiesForIntent } from './lexicon.js';
import { isTypoOf, nearNames, type Resolution, segments } from './name-resolver.js';
import { wordsValue } from './number-words.js';
import type { Vocabulary } from './vocabulary.js';

export interface Filled {
  entities: Entities;
  resolutions: Resolution[];
}

/** Words of everyday chat a person may type in the place of a name; never taken as one. */
export interface WordList {
  has(word: string): boolean;
}

const MODEL_INTENTS = new Set(['models.predict', 'models.promote', 'models.rollback']);
const SERVICE_INTENTS = new Set(['status', 'metrics', 'alerts.list', 'alerts.ack', 'alerts.silence']);
const INFERENCE = /^(?:inference|infer|inferencing)$/;
// (Also "bot throughput last 12h": the bot named first, then what is asked of it.)
const THE_BOT =
  /\b(?:the|this|ur|your|chatops|slack)\s+(?:chat\s*)?bot\b|^\s*bot'?s\s+own\b|^\s*bot(?:'s)?\s+(?:itself\s+)?(?:throughput|traffic|latency|errors?|error rate|uptime|availability|cpu|memory|health|healthy|alive|up|ok|down|running|status|p\d\d|rps|qps|load)\b/;
const ARE_YOU = /^(?:are|r)\s+(?:you|u|ya)\b/;
const WHAT_IS_LIVE =
  /\b(?:what|which(?:\s+version)?)(?:'?s|\s+is)\s+(?:live|serving|in\s+prod(?:uction)?)\b|\bwhich\s+version\s+of\s+[^.?!,]{1,40}?\s+is\s+(?:currently\s+|now\s+|actually\s+)?(?:live|serving)\b/;
// "alerts firing for the bot itself", "silence ServiceDown on the bot": alerts about this bot.
const ON_THE_BOT =
  /\b(?:on|for|from|of|about|against)\s+(?:the|this|ur|your|chatops|slack)\s+(?:chat\s*)?bot\b|\bthe\s+bot(?:'s)?\s+alerts\b|\b(?:mute|silence|snooze|hush|shush|unmute|unsilence)\s+(?:the|this|ur|your)\s+bot\b|\bfor\s+bot\b(?!\s*[,:])|\bbot'?s\s+own\b/;
// Words around a name that say which slot it fills: "predict with X", "is X up", "p99 of X".
const MODEL_BEFORE = new Set(
  'predict run score classify infer inference ask feed using with from on into to at rollback back revert promote ship deploy release downgrade bump upgrade of for model undo'.split(
    ' ',
  ),
);
const MODEL_AFTER = new Set(['model', 'on', 'with', 'back', 'about']);
// "promote iris v2 to blue": a new alias is named after these.
const ALIAS_BEFORE = new Set(['to', 'into', 'as']);
// ("has checkout been slow", "can customers reach checkout": the name a question about a service
// asks after; "did checkout get": before what a service does.)
// Other languages' words for "on", "for" and "in the" before a name mark it the same way (Russian
// "po" / "na", French "sur" / "pour", German "auf" / "bei", Portuguese "no" / "na" / "em").
const SERVICE_BEFORE = new Set(
  "of for on in at from ping check is status health mute silence snooze hush quiet ack has reach how's hows po na sur pour auf bei no em".split(
    ' ',
  ),
);
// "p50 de checkout", "errores del checkout": "of" as the Romance languages say it, after a signal.
const ROMANCE_OF = new Set(['de', 'del', 'da', 'do', 'di', 'no', 'na', 'em']);
// (Hindi puts "of" and "on" after the name: "checkout ka p99", "checkout pe".)
const SERVICE_AFTER = new Set(
  'up down ok okay alive healthy working running reachable responding dead status health service svc alerts getting get got handle handled serve served slow page doing ka ke ki pe par'.split(
    ' ',
  ),
);
const PEOPLE_AFTER = new Set(['team', 'folks', 'people', 'squad', 'crew', 'guys', 'oncall', 'on-call']);
const UNMUTED_BEFORE = new Set(['unmute', 'unsilence', 'off']);
const UNMUTED_AFTER = new Set(['alerts', 'page']);
// (And the articles of other languages: "le checkout", "el gateway", "o checkout", "die auth".)
const FILLER = new Set([
  'the',
  'a',
  'an',
  'our',
  'my',
  'that',
  'this',
  'le',
  'la',
  'el',
  'o',
  'os',
  'der',
  'die',
  'das',
  'den',
  'dem',
]);
const INDEFINITE = new Set(['a', 'an']);

/**
 * The entities of an extraction for one intent: ids become alert or silence ids, a lone number a
 * version or an id, names found by their shape fill the intent's name slot, and a word nobody
 * uses in everyday chat fills an empty name slot when it stands where that name goes ("is billing
 * up?", "ask ranker about 0.2 0.8"). Unknown names keep their spelling, with suggestions.
 *
 * @example fillSlots('alerts.ack', extractor.extract('ack #12'), vocabulary, words).entities
 * // { alert_id: '12' }
 */
export function fillSlots(
  intent: string,
  found: Extraction,
  vocabulary: Vocabulary,
  everyday: WordList,
): Filled {
  const all: Entities = { ...found.entities };
  const resolutions = [...found.resolutions];
  const idKey = intent === 'alerts.unsilence' ? 'silence_id' : 'alert_id';
  const takesIds = intent.startsWith('alerts.') && intent !== 'alerts.list';
  for (const id of found.ids) {
    const key = id.kind ?? (takesIds ? idKey : undefined);
    if (key) all[key] ??= id.value;
  }
  // "iris-classifier #4 → production", "promote number 9 of fraud": a number sign or the word
  // "number" before a model's number gives its version.
  if (MODEL_INTENTS.has(intent) && all.version === undefined) {
    const hashed = found.ids.find((id) => /^\d+$/.test(id.value) && id.kind === undefined);
    if (hashed && /#\s*\d|\b(?:number|no\.?)\s*\d/.test(found.corrected)) all.version = Number(hashed.value);
  }
  let lone = found.loneNumber;
  if (lone !== undefined && takesIds && all.alert_id === undefined && all.silence_id === undefined) {
    if (all.alert === undefined) all[idKey] = String(lone);
    lone = undefined;
  }
  const slot = MODEL_INTENTS.has(intent) ? 'model' : SERVICE_INTENTS.has(intent) ? 'service' : undefined;
  // A list of models takes a model named by its shape ("versions of churn_v2.1"), never a free word
  // by its place: "list models deployed" names none.
  const nameSlot = slot ?? (intent === 'models.list' ? 'model' : undefined);
  for (const name of found.names) {
    const key = name.kind ?? shapeSlot(intent, name.text) ?? nameSlot;
    if (!key || all[key] !== undefined) continue;
    all[key] = name.text;
    resolutions.push(unknown(key, name.text, vocabulary));
  }
  // "health check on inference", "alerts in inference": where a service goes, the word for what
  // the ML service does names it (for a model command it is the verb: "run inference on churn").
  if (slot === 'service' || intent === 'alerts.unsilence') {
    if (all.service === undefined && found.words.some((w) => w.kind === undefined && INFERENCE.test(w.text)))
      all.service = 'ml-service';
  }
  // "is the bot itself healthy", "are u even running", "qps on the bot": the health or numbers of
  // this bot, the ChatOps service; for alerts, only the bot they are on or for. (Elsewhere "the
  // bot" is the way a request is made: "can the bot silence X".)
  if (
    (intent === 'status' || intent === 'metrics') &&
    all.service === undefined &&
    vocabulary.names.service.includes('chatops-service') &&
    (THE_BOT.test(found.corrected) || (intent === 'status' && ARE_YOU.test(found.corrected)))
  )
    all.service = 'chatops-service';
  else if (
    intent.startsWith('alerts.') &&
    all.service === undefined &&
    vocabulary.names.service.includes('chatops-service') &&
    ON_THE_BOT.test(found.corrected)
  )
    all.service = 'chatops-service';
  // ("unmute checkout", "unsilence the checkout alerts", "take the silence off checkout": a lifted
  // silence's service only right after the verb or "off", or after what was muted and "on", where
  // the rest of such a message is often the reason: "…, maintenance is finished".)
  const unsilenced = intent === 'alerts.unsilence' && all.service === undefined;
  if (unsilenced) {
    const word =
      positionalName(found.words, UNMUTED_BEFORE, UNMUTED_AFTER, everyday, false) ??
      unmutedOn(found.words, everyday);
    if (word) {
      all.service = word;
      resolutions.push(unknown('service', word, vocabulary));
    }
  }
  // A model named by its place even when it is an everyday word ("predict spam 0.2 14 1 0", "revert
  // spam prod", "make risk v8 champion", "versions of forecast", "the pricing model"): right after
  // a model command's verb with its version, alias or row after it, before "model", or after
  // "versions of". (Elsewhere such a word is talk: "promote the new one".)
  if ((slot === 'model' || intent === 'models.list') && all.model === undefined) {
    const word = modelByPlace(found.words, vocabulary.names.model);
    if (word) {
      all.model = word;
      resolutions.push(unknown('model', word, vocabulary));
    }
  }
  // A service named by its place even when it is an everyday word ("is the orders service healthy",
  // "are search and orders both alive", "latency for orders", "alerts billing sev2 1d").
  if (slot === 'service' && all.service === undefined) {
    const word = serviceByPlace(found.words, vocabulary.names.service);
    if (word) {
      all.service = word;
      resolutions.push(unknown('service', word, vocabulary));
    }
  }
  if (slot && all[slot] === undefined) {
    const word = positionalName(
      found.words,
      slot === 'model' ? MODEL_BEFORE : SERVICE_BEFORE,
      slot === 'model' ? MODEL_AFTER : SERVICE_AFTER,
      everyday,
    );
    if (word) {
      all[slot] = word;
      resolutions.push(unknown(slot, word, vocabulary));
    }
  }
  // "undo the last promote on fraud-detector live", "roll back churn v9 live", "put iris version 5
  // live", "predict churn live with 1, 2": "live" right after the model (and its version) it places
  // or asks is the production alias ("go live" names none).
  if (
    (intent === 'models.rollback' || intent === 'models.predict' || intent === 'models.promote') &&
    all.alias === undefined
  ) {
    // ("put live churn back on v16", "the live fraud model": "live" before the model it places.)
    const leading = found.words.findIndex(
      (w, i) =>
        w.text === 'live' &&
        (found.words[i + 1]?.kind === 'model' || found.words[i + 1]?.text === all.model) &&
        !/^(?:go|goes|going|gone|went|is|was|be)$/.test(found.words[i - 1]?.text ?? ''),
    );
    if (leading >= 0 && all.model !== undefined) all.alias = 'production';
    const at = found.words.findIndex((w, i) => w.text === 'live' && i > 0);
    const before = found.words[at - 1]?.kind === 'ver' ? found.words[at - 2] : found.words[at - 1];
    const after = found.words[at + 1];
    if (
      at > 0 &&
      (before?.kind === 'model' || (before?.kind === 'name' && before.text === all.model)) &&
      (after === undefined ||
        after.kind === 'feat' ||
        /^\d/.test(after.text) ||
        // ("predict churn live with 60, 20.5, 0, 1": the row after "with", "on" or "for")
        (intent === 'models.predict' &&
          /^(?:with|on|for)$/.test(after.text) &&
          found.words[at + 2]?.kind === 'feat') ||
        // ("iris live busted, roll it back": what is wrong with the one live)
        (intent === 'models.rollback' &&
          /^(?:busted|broken|borked|bad|off|cooked|dead|wrong|failing|tanking)$/.test(after.text)))
    )
      all.alias = 'production';
  }
  if (intent === 'models.promote' && all.alias === undefined) {
    const alias = positionalAlias(found.words, everyday);
    if (alias) all.alias = alias;
  }
  if (intent === 'models.list') listAlias(all, found);
  // A number of the row is no version ("3 orders, 0 refunds and 450 spend", "…, tickets 4").
  if (lone !== undefined && all.features?.includes(lone)) lone = undefined;
  const entities = entitiesForIntent(intent, all, lone);
  return {
    entities,
    resolutions: resolutions.filter((r) => (entities as Record<string, unknown>)[r.key] === r.value),
  };
}

const PRODUCTION_WORD = /^(?:production|prod|prd)$/;

/**
 * The alias a list of models is asked about: one named, with a model ("what's on canary for
 * iris") or without one ("what's in staging", "what's on staging across all models"), which the
 * command answers with what that alias serves of each model. What is live with no model named
 * ("which models are there and what version is live": "live" is production only of one model) is
 * answered by the whole table, which shows every alias.
 */
function listAlias(all: Entities, found: Extraction): void {
  // "what's live for the fraud model", "what's serving for iris": what production serves.
  if (all.alias === undefined && all.model !== undefined && WHAT_IS_LIVE.test(found.corrected))
    all.alias = 'production';
  const live =
    all.model === undefined &&
    found.words.some((w) => w.text === 'live') &&
    !found.words.some((w) => PRODUCTION_WORD.test(w.text));
  if (live) delete all.alias;
}

/**
 * The slot a name's own shape decides for alert commands: a service is a DNS name, which cannot
 * hold an underscore, so `disk_full` is an alert rule and `payments-api` a service (also when a
 * silence on it is lifted: alert rules are CamelCase, found by that shape before this).
 */
function shapeSlot(intent: string, name: string): 'alert' | 'service' | undefined {
  if (!intent.startsWith('alerts.')) return undefined;
  // ("node-disk-pressure", "kafka-lag-high": three parts or more ending in what state a thing is in.)
  const parts = name.split('-');
  const stated = parts.length >= 3 && ALERT_STATE_WORDS.has(parts.at(-1)!);
  return name.includes('_') || stated ? 'alert' : 'service';
}

function unknown(key: 'model' | 'service' | 'alert', written: string, vocabulary: Vocabulary): Resolution {
  return {
    key,
    written,
    value: written,
    match: 'unknown',
    suggestions: nearNames(written, vocabulary.names[key]),
  };
}

/** The last word of a promotion, free and not everyday, after "to": the alias to create or move. */
function positionalAlias(words: WordSlot[], everyday: WordList): string | undefined {
  const last = words[words.length - 1];
  const prev = words[words.length - 2];
  if (!last || !prev || last.kind !== undefined || !ALIAS_BEFORE.has(prev.text)) return undefined;
  return /^[a-z][a-z0-9_-]{1,62}$/.test(last.text) && !isEveryday(last.text, everyday)
    ? last.text
    : undefined;
}

// Words of chat that stand where a name goes ("is the bot itself healthy", "SITREP request").
const NEVER_NAMES = new Set([
  // ("o bot tá rodando?": the bot itself is the ChatOps service, asked after as "the bot".)
  'bot',
  // "the VPN is down or is it only me": the office's own network, never a service here
  'vpn',
  'wifi',
  'internet',
  'laptop',
  // "is this customer about to churn?": a row's person, not a service
  'customer',
  'customers',
  'client',
  'person',
  'itself',
  'yourself',
  'themselves',
  'sitrep',
  'status',
  'update',
  'summary',
  'overview',
  'report',
  'figures',
  'numbers',
  // "our consumer is behind": states, where "is X" would place a name
  'behind',
  'progress',
  'severity',
  'filling',
  'handover',
  'requested',
  'passing',
  'bridge',
  'pop',
  'shower',
  'flapping',
  're-org',
  'reorg',
  'requesting',
  'whom',
  'ahead',
  'lagging',
  'stuck',
]);

function isEveryday(word: string, everyday: WordList): boolean {
  return (
    everyday.has(word) || COMMON_WORDS.has(word) || FOREIGN_FUNCTION_WORDS.has(word) || NEVER_NAMES.has(word)
  );
}

/**
 * A word that may be a name: lower-case letters and digits, found as nothing else, no everyday
 * word, no number in words ("ack eleven and twelve"), not the command word that opens a message
 * ("lst alerts").
 */
function freeWord(words: readonly WordSlot[], i: number, everyday: WordList): boolean {
  const w = words[i]!;
  if (w.kind !== undefined || !/^[a-z][a-z0-9]{2,}$/.test(w.text) || isEveryday(w.text, everyday))
    return false;
  // ("p99 jumped", "the injured list": a verb's past tense, not a name; "which is suspicious": an
  // adjective.)
  if (PAST_TENSE.test(w.text) || /^[a-z]{3,}ous$/.test(w.text)) return false;
  return wordsValue(w.text) === undefined && !(i === 0 && conceptOf(w.text) !== undefined);
}

const PAST_TENSE = /^[a-z]{3,}ed$/;
const COPULA = new Set(['is', 'was', 'looks', 'seems', 'feels', 'been', 'went', 'goes']);

// What a silence is on, said before "on" or "for" ("the HighErrorRatio on checkout", "the
// ServiceDown one on checkout", "quita el silence on checkout", "the alarms for checkout").
const MUTED_THING = new Set([
  'silence',
  'silences',
  'mute',
  'muting',
  'alarm',
  'alarms',
  'alert',
  'alerts',
  'one',
  // ("unsilence for checkout": the verb itself, then "for".)
  'unmute',
  'unsilence',
]);

// "on" and "for", and as other languages say them ("o silencio do ServiceDown no checkout").
const SILENCE_ON = new Set(['on', 'for', 'no', 'na', 'em', 'po', 'sur', 'pour', 'auf', 'bei']);

/** The service a lifted silence is on, after an alert's name (with "on"/"for" or last) or a word for the silence and "on"/"for". */
function unmutedOn(words: readonly WordSlot[], everyday: WordList): string | undefined {
  for (let i = 1; i < words.length; i++) {
    // ("unmute ServiceDown checkout": the alert's name, then the service, last.)
    if (words[i - 1]!.kind === 'alert' && i === words.length - 1 && freeWord(words, i, everyday))
      return words[i]!.text;
    if (i < 2) continue;
    // ("unsilence HighErrorRatio for the checkout": "the" between.)
    const at = FILLER.has(words[i - 1]!.text) && i >= 3 ? i - 1 : i;
    const on = words[at - 1]!.text;
    const thing = words[at - 2]!;
    if (
      SILENCE_ON.has(on) &&
      (thing.kind === 'alert' || MUTED_THING.has(thing.text)) &&
      freeWord(words, i, everyday)
    )
      return words[i]!.text;
  }
  return undefined;
}

/**
 * A free word no everyday sentence uses (nor a typo of one), next to a word marking the slot (or,
 * with `bySignal`, next to a signal: "p99 of billing", "billing p99").
 */
const MODEL_VERB = new Set(
  'predict score classify run promote rollback revert demote ship make set put move roll bump push'.split(
    ' ',
  ),
);
const VERSIONS_WORD = new Set(['versions', 'version', 'vers']);
const NOT_A_MODEL_WORD = new Set(
  'the a an this that these those it its them all any every everything anything something one ones thing stuff model models version versions latest newest previous last current new old same other back again please pls now just also only alias aliases everyone live prod production staging canary champion challenger show list get give tell check see find display view print fetch pull'.split(
    ' ',
  ),
);
const MODEL_FOLLOWS = new Set(['ver', 'alias', 'feat', 'num']);
const PLACE_WORD = new Set(['on', 'in', 'at', 'to', 'en', 'em', 'na', 'no', 'auf', 'su', 'sur', 'op', 'på']);
const WHICH = new Set(['which', 'what', 'all', 'any', 'whats', "what's", 'wich', 'wat', 'name']);
// English grammar words, never a name by place. (`COMMON_WORDS` is no stand-in here: it holds
// everyday nouns, "spam", "latest", that a team does name its models by.)
const FUNCTION_WORDS = new Set(
  'for with on in at to from by of and or but so as if is are was were be been do does did have has had will would can could should may might must not no yes you me we they he she him her us his their your our i lah pls plz please thanks thx'.split(
    ' ',
  ),
);

/**
 * Whether a word may be a name said by its place: free, shaped as one, no grammar word, no
 * command's word (a word of small talk can be: "rollback weather canary"), none of `not`, and no
 * slip of a known name (the typo reader's: "show me all irsi versions").
 */
function nameByPlace(w: WordSlot, known: readonly string[], not: ReadonlySet<string>): boolean {
  return (
    w.kind === undefined &&
    /^[a-z][a-z0-9_]{2,}$/.test(w.text) &&
    !not.has(w.text) &&
    !FOREIGN_FUNCTION_WORDS.has(w.text) &&
    (conceptOf(w.text) ?? 'offtopic') === 'offtopic' &&
    !known.some(
      (k) =>
        isTypoOf(w.text, k) ||
        segments(k).some((p) => p.length >= 4 && p !== w.text && editDistance(p, w.text, 2) <= 2),
    )
  );
}

/** A model said by its place alone, an everyday word or not; undefined where none stands so. */
function modelByPlace(words: readonly WordSlot[], known: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!nameByPlace(w, known, NOT_A_MODEL_BY_PLACE)) continue;
    const prev = words[i - 1]?.text ?? '';
    const next = words[i + 1];
    // (Its alias may come after "on": "what's ranker on canary", "revierte forecast en producción".)
    const placed =
      MODEL_FOLLOWS.has(next?.kind ?? '') ||
      (PLACE_WORD.has(next?.text ?? '') && words[i + 2]?.kind === 'alias');
    const framed = i === 0 || (FILLER.has(prev) && prev !== 'a' && prev !== 'an') || WHICH.has(prev);
    if (
      (MODEL_VERB.has(prev) && placed) ||
      (framed && (next?.kind === 'ver' || next?.kind === 'alias')) ||
      (next?.text === 'model' && (FILLER.has(prev) || MODEL_VERB.has(prev))) ||
      (VERSIONS_WORD.has(next?.text ?? '') && framed) ||
      (prev === 'of' && VERSIONS_WORD.has(words[i - 2]?.text ?? '')) ||
      // ("models pricing prod", "models list spam": the command's word first, the model after it.)
      ((i === 1 || (i === 2 && prev === 'list')) &&
        words[0]!.text === 'models' &&
        (next === undefined || next.kind === 'alias' || next.kind === 'ver'))
    )
      return w.text;
  }
  return undefined;
}

const SERVICE_NOUN = new Set(['service', 'svc', 'api', 'app', 'backend', 'server', 'cluster', 'pods']);
const SERVICE_STATE = new Set(
  'up down alive healthy unhealthy dead degraded working running ok okay fine reachable responding'.split(
    ' ',
  ),
);
const NOT_A_SERVICE_WORD = new Set(
  'open firing active resolved acked level warning critical info severity everything anything something nothing everyone'.split(
    ' ',
  ),
);
const ASKED_OF = new Set(['alerts', 'alert', 'latency', 'errors', 'traffic', 'uptime', 'status', 'health']);

const NOT_A_MODEL_BY_PLACE = new Set([...NOT_A_MODEL_WORD, ...FUNCTION_WORDS, ...WHICH, ...MODEL_VERB]);
const NOT_A_SERVICE_BY_PLACE = new Set([
  ...NOT_A_MODEL_WORD,
  ...FUNCTION_WORDS,
  ...WHICH,
  ...SERVICE_NOUN,
  ...SERVICE_STATE,
  ...ASKED_OF,
  ...NOT_A_SERVICE_WORD,
]);

// ("is evrything ok": a slip of an everyday word, not a name.)
const LONG_COMMON_WORDS = [...COMMON_WORDS].filter((w) => w.length >= 6);
const slipOfCommonWord = (word: string) => LONG_COMMON_WORDS.some((c) => isTypoOf(word, c));

/** A service said by its place alone, an everyday word or not; undefined where none stands so. */
function serviceByPlace(words: readonly WordSlot[], known: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!nameByPlace(w, known, NOT_A_SERVICE_BY_PLACE)) continue;
    const prev = words[i - 1]?.text ?? '';
    const next = words[i + 1];
    // ("are search and orders both alive": the first of two named before their state.)
    const stateAt = next?.text === 'and' ? i + 3 : i + 1;
    const state = (at: number) =>
      SERVICE_STATE.has(words[at]?.text ?? '') ||
      (words[at]?.text === 'both' && SERVICE_STATE.has(words[at + 1]?.text ?? ''));
    if (
      (FILLER.has(prev) && prev !== 'a' && prev !== 'an' && SERVICE_NOUN.has(next?.text ?? '')) ||
      ((prev === 'is' || prev === 'are' || prev === 'check') && state(stateAt)) ||
      ((prev === 'for' || prev === 'on' || prev === 'of') &&
        (words[i - 2]?.kind === 'signal' || ASKED_OF.has(words[i - 2]?.text ?? ''))) ||
      (i === 1 &&
        ASKED_OF.has(words[0]!.text) &&
        (next === undefined || next.kind === 'severity' || next.kind === 'dur'))
    ) {
      if (!slipOfCommonWord(w.text)) return w.text;
    }
  }
  return undefined;
}

function positionalName(
  words: WordSlot[],
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
  everyday: WordList,
  bySignal = true,
): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!freeWord(words, i, everyday)) continue;
    let p = i - 1;
    while (p >= 0 && FILLER.has(words[p]!.text)) p--;
    // "for a bit", "check on a thing": after "a" comes a common noun, never a name.
    if (words.slice(p + 1, i).some((f) => INDEFINITE.has(f.text))) continue;
    const prev = words[p];
    const next = words[i + 1];
    // ("for the data team", "the payments folks": people, not a service.)
    if (next && PEOPLE_AFTER.has(next.text)) continue;
    const afterSignal = (at: number) =>
      words[at]?.kind === 'signal' ||
      (ROMANCE_OF.has(words[at]?.text ?? '') && words[at - 1]?.kind === 'signal');
    // ("whether checkout is healthy", "checkout feels laggy": the state said after a verb of being.)
    const stated = (at: number) =>
      words[at] !== undefined && (after.has(words[at]!.text) || (bySignal && words[at]!.kind === 'signal'));
    const marked =
      (next && COPULA.has(next.text) && stated(i + 2)) ||
      (prev && (before.has(prev.text) || (bySignal && afterSignal(p)))) ||
      (next && (after.has(next.text) || (bySignal && (next.kind === 'signal' || next.kind === 'feat')))) ||
      // ("own the checkout alert": a name between "the" and "alert"; "owning alert 88" names none.)
      (next?.text === 'alert' && bySignal && FILLER.has(words[i - 1]?.text ?? ''));
    // "the inventory service": the service is the word, as people name it (a registered
    // `inventory-service` would have been known by that word already, before any guess by position).
    if (marked) return w.text;
  }
  return undefined;
}
