import { COMMON_WORDS } from './common-words.js';
import { conceptOf } from './concepts.js';
import { fieldsInWords, isFieldKey } from './field-syntax.js';
import { inEnglish } from './foreign-words.js';
import { DIGIT_WORD, digitOf, groupValue, NUMBER_GROUP, NUMBER_WORD, wordsValue } from './number-words.js';
import { commentStart } from './pattern-entities.js';
import { ABOUT_LINKING, keyboardForm } from './spoken-forms.js';

// Typographic characters phones and chat clients put in place of ASCII ones, one character for one
// (so an offset in the message is the same offset after them).
const QUOTES: [RegExp, string][] = [
  [/[‘’´`]/g, "'"],
  [/[“”„]/g, '"'],
];
const DASHES_AND_SPACES: [RegExp, string][] = [
  [/[‐‑‒–—]/g, '-'],
  [/\u00a0/g, ' '],
];
const ONE_FOR_ONE = [...QUOTES, ...DASHES_AND_SPACES];
// The same, and a word broken off by a dash and taken back ("ack nine— no— nineteen", "the api
// gateway— actually on the ml svc"): the words a correction is read by (before the dashes go).
const TYPOGRAPHIC: [RegExp, string][] = [
  ...QUOTES,
  [/(?<=\w)[‐‑‒–—]\s*(no|nope|wait|actually|sorry|i mean|scratch that)\b\s*[‐‑‒–—,]?\s*/gi, ', $1, '],
  ...DASHES_AND_SPACES,
];
// A duration in ISO 8601 ("PT2H", "PT45M", "PT1H30M", "P1D"), as SREs copy it from a config: the
// short form ("2h", "45m", "1h30m", "1d").
// (Not half of a link code: "PT4M-BZZZ".)
const ISO_DURATION =
  /(?<![\w-])P(?=\d+[DW]|T\d)(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\b(?!-[a-z0-9])/gi;
const isoDuration = (_: string, w?: string, d?: string, h?: string, m?: string) =>
  [w && `${w}w`, d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join('') || _;
// Where a request was seen or what shipped beside it: an address and port ("10.0.3.12:8443"), a
// commit ("sha 9be41d0"), an application's release ("v2.3.0 of the app", "app 2.4.1"). None is a
// model's version or an id; inside a note they are the writer's and stay. (A release that is the
// object, "deploy orders-api v2.4.0", stays: it says the request is about software, not a model.)
const HOST_NOISE =
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b|\b(?:git\s+)?sha[:\s]+[0-9a-f]{6,40}\b|\b(?:app(?:lication)?|build|release)\s+v?\d+\.\d+\.\d+(?:-[\w.]+)?\b|\bv?\d+\.\d+\.\d+(?:-[\w.]+)?\s+of\s+the\s+(?:app|application|frontend|backend|client)\b/gi;
// A link pasted beside the request, with or without its scheme, always with a path ("grafana.internal/d/svc?var-
// service=checkout", "alertmanager:9093/#/alerts", "prometheus/graph?g0.expr=…"): where the writer
// looked, none of it a name, an id or a time (inside a note it is the writer's and stays).
const PASTED_LINK =
  /(?<![\w@./-])(?:(?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{2,5})?\/\S*|[a-z0-9-]+:\d{2,5}\/\S*[?#]\S*|https?:\/\/\S+|[a-z0-9-]+\/\S*[?#=]\S*)/gi;
const NEVER = /(?!)/g;
// A version said with its number in words, joined by a hyphen ("v-twelve", "v-thirty-one").
const VERSION_IN_WORDS = new RegExp(`\\bv-(${NUMBER_WORD}(?:-${NUMBER_WORD})?)\\b`, 'gi');
// Arrows between an alias and a version ("prod -> v3", "prod → v4", "prod => v5").
const ARROW = /\s*(?:-+>|=+>|→|⇒|➡|⟶)\s*/g;
// "un-mute", "un mute", "re-enable": a prefix split from its verb.
const SPLIT_PREFIX =
  /\b(un|re)[\s-]+(mute|muted|silence|silenced|snooze|snoozed|shush|hush|squelch|suppress|enable|enabled|ack|acked)\b/gi;
// "ack-ing", "roll-back", "roll-out": a verb written with a hyphen before its ending or particle.
const HYPHENED_VERB =
  /\b(ack|mute|snooze|page|roll|rolled|rolling|back|deploy)-(ing|ed|d|back|out|forward)\b/gi;
// "it's been quiet", "gone quiet", "suspiciously quiet": the word describes, it does not ask for a
// silence; "idle" says the same without meaning the command.
const QUIET_STATE =
  /\b(been|is|was|are|were|be|gone|went|go|goes|going|stayed|seems?|looks?|too|so|very|awfully|really|pretty|oddly|eerily|weirdly|strangely|suspiciously|unusually|real|kinda|all|totally|dead|still|\])\s+quiet\b/gi;
// ("KafkaLagHigh quiet since midnight": a rule said to be quiet, in a handover.)
const QUIET_RULE =
  /\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+)\s+quiet(?=\s+(?:since|for|all|now|overnight|today|tonight)\b|\s*[.,;!•]|\s*$)/g;

// "the silence on chatops can go now", "that mute isn't needed any more": a silence said to be
// done with asks for it to be lifted.
const RETIRED_SILENCE =
  /\b(?:silence|mute|snooze)\b((?:\s+(?:on|for)\s+\S+)?)\s+(?:can go|can come off|can be (?:lifted|removed|dropped|ended|deleted)|(?:is|'s) no longer needed|(?:isn'?t|is not) needed(?: any ?more)?|has done its job)\b/gi;

// Slack's markup for a link: `<https://…|label>` reads as its label, a bare `<https://…>` as nothing.
// Slack's *bold*, _italic_ and ~strike~ around words ("*ack* 9e0d"); never inside a name
// (`ltv_model`), since the marks must stand at a word's edge.
const SLACK_EMPHASIS = /(^|\s)[*_~]+([^*_~\s](?:[^*_~]*[^*_~\s])?)[*_~]+(?=\s|$|[.,!?:;])/g;
const SLACK_LINK = /<(?:https?|mailto):[^>|]*(?:\|([^>]*))?>/gi;
// Code marks around a command or a name (`` `ack 12` ``, ``` ```predict iris 1 2``` ```).
const CODE_MARKS = /`+/g;

// "ping me if anything breaks", "ping us when it's done": asks a person to be told, it checks no
// service ("ping auth" does), so it reads as the everyday words it means.
const PING_PERSON = /\bping (me|us)\b/gi;

// "req/s", "ops/sec": a rate written with a slash.
const PER_SECOND = /\b([a-z]+)\/s(?:ec)?\b/gi;

// "health-wise", "info-level", "cpu-ish": a word with a suffix joined by a hyphen is that word, not
// an identifier such as `payments-api`.
const SUFFIXED = /\b([a-z]+)-(wise|level|ish|related|severity|sev|priority)\b/gi;

// Emoji people type in place of a command word ("✅ #8", "🔇 ServiceDown 1h", "↩️ churn v2"); 👀
// only leading a message ("👀 auth"), since after one ("models 👀") it is a mood.
const EMOJI_WORDS: [RegExp, string][] = [
  // A tick closing a move of a model ("🚀 fraud v3 ➡️ prod ✅") marks it done or agreed, no ack.
  [/((?:🚀|➡|→|->)[^\n]*?)\s*[✅☑✔]\uFE0F?\s*$/gu, '$1'],
  [/[✅☑✔]\uFE0F?/gu, ' ack '],
  // A bell asked about ("🔔 auth warn ?"): the alerts; a bell alone before a name lifts a mute.
  [/^\s*🔔\uFE0F?(?=[^\n]*\?\s*$)/gu, ' alerts '],
  // The clipboard is a list ("🤖📋 iris ?").
  [/📋\uFE0F?/gu, ' list '],
  [/(?:🔇|🔕|🤫)/gu, ' mute '],
  [/(?:🔔|🔊)/gu, ' unmute '],
  [/(?:↩|⏪|🔙)\uFE0F?/gu, ' rollback '],
  [/🔮/gu, ' predict '],
  [/📜/gu, ' history '],
  // "🪪❓", "👤 me?", "🔑 me?" (my keys): who am I; "❓🤖": what can the bot do.
  [/(?:🪪|👤|🔑)\uFE0F?\s*(?:❓|\?|me\s*\?)/gu, ' whoami '],
  [/(?:❓|\?)\s*🤖|🤖\s*(?:❓|\?)/gu, ' help '],
  // ("👀 gw" asks to check it; "👀 remove sil_03cd" is a reaction before a command.)
  [
    /^\s*👀(?!\s*(?:remove|ack|acknowledge|mute|silence|snooze|unmute|unsilence|promote|roll|rollback|revert|show|list|predict|link|pls|please|can|could)\b)/u,
    ' check ',
  ],
  // Slack's own spelling of emoji (`:white_check_mark:`): those that stand for a verb are the verb,
  // the rest are nothing (never a name: `:rotating_light:` is not an alert).
  [/:(?:white_check_mark|heavy_check_mark|ballot_box_with_check):/g, ' ack '],
  [/:(?:mute|no_bell|shushing_face):/g, ' mute '],
  [/:(?:bell|loud_sound|loudspeaker):/g, ' unmute '],
  [/:(?:leftwards_arrow_with_hook|rewind|back):/g, ' rollback '],
  [/:crystal_ball:/g, ' predict '],
  [/:scroll:/g, ' history '],
  [
    /^\s*:eyes:(?!\s*(?:remove|ack|acknowledge|mute|silence|snooze|unmute|unsilence|promote|roll|rollback|revert|show|list|predict|link|pls|please|can|could)\b)/,
    ' check ',
  ],
  [/(?<![\w:]):[a-z][a-z0-9_+'-]*:(?![\w:])/g, ' '],
  // Any other pictograph is decoration ("what did 🕵️ dave run", "ack 🙏 4812"): a space.
  [/\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*/gu, ' '],
];

// Punctuation said aloud to a dictating phone: "is chatops up question mark", "... period".
const DICTATED: [RegExp, string][] = [
  [/\s+question mark\b/gi, '?'],
  [/\s+exclamation (?:mark|point)\b/gi, '!'],
  [/\s+(?:period|full stop)\s*$/gi, '.'],
];

// A time of day pasted in front of a message or written in it ("[03:45] ack 5", "since 3:14 am"):
// never a version, an id or features.
const CLOCK_TIME = /\[?\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?\b)?\]?/gi;

// "between 02:00 and 05:00", "from 9am to 11:30": a span of the clock, which names no window.
const TIME_RANGE = new RegExp(
  String.raw`\b(?:between|from)\s+${CLOCK_TIME.source}\s*(?:and|to|till|until|-)\s*${CLOCK_TIME.source}`,
  'gi',
);
// A note's marker before the point: a word for a reason, a spaced dash, the `-m` flag, or a quote
// opened and not yet closed ("-m 'beat baseline by 2%'").
const NOTE_BEFORE =
  /\b(?:reason|because|note|comment|cause)\b\s*[:=]|\b(?:because|becuase|becasue|beacuse|bcause|becaus|becuz|bc|b\/c|cuz|coz)\s+[a-z]|\s(?:-{1,2}|[—–])\s|(?:^|\s)(?:-m|--message|--comment)\s|(?:^|\s)["“‘'][^"“”‘’']*$/i;

// A log line pasted beside the request ("mute checkout 3h, canary log shows level=error
// msg=cache_miss_storm", "unmute orders-svc, healthcheck back to `status=ok latency=41ms`",
// "rollback … on staging, serving log: ValueError: … (expected 12, got 11)"): context, whose
// numbers and words are no version, id, severity or note. Fields of a command written as code
// (`model=churn v=7`, `models.list(alias='staging')`) are kept: an inline code span only when it
// holds a log level, an error's name or a key no command field has; bare `key=value` runs only
// after words that say a log is quoted.
const CODE_SHAPE = /\b[a-z0-9]{4}-[a-z0-9]{4}\b/i;
const LOG_CODE = /`([^`\n]{3,200})`/g;
const LOG_PAIRS = /(?<![\w=])(?:[a-z_][\w.]*=[^\s,;=]+\s*){2,}/gi;
const LOG_CUE =
  /\b(?<!audit\s)(?:log|logs|logged|logging|shows|showed|printed|prints|says|said|output|line|entry)\b[^,;.]*$/i;
const LOG_TAIL = /[,;]\s*(?:[\w-]+\s+)?(?:log|logs|output|traceback|stack\s?trace)\s*:\s*[^\n]*$/i;
function isLogLine(text: string): boolean {
  // (A link code in it is the console's message pasted: `code=P8O7-I6U5 ttl=600s`.)
  if (CODE_SHAPE.test(text)) return false;
  if (/\b(?:WARN|WARNING|ERROR|INFO|DEBUG|TRACE|FATAL)\b|\b[A-Z]\w*(?:Error|Exception)\b/.test(text))
    return true;
  const keys = [...text.matchAll(/\b([a-z_][\w.]*)=/gi)].map((m) => m[1]!.toLowerCase());
  return keys.some((k) => !isFieldKey(k));
}
// An HTML tag or comment, as typed or as Slack escapes it (never Slack's own <@U…>, <#C…>, <!here>
// or <http…|…> forms, which begin otherwise).
// (HTML's own elements only: "`promote <model> <version> <alias>`?" asks about placeholders.)
const HTML_ELEMENT = `(?:script|style|iframe|img|a|b|i|u|s|em|strong|small|div|span|p|br|hr|h[1-6]|table|tr|td|th|ul|ol|li|form|input|button|svg|object|embed|link|meta|body|html|head|title|pre|font|center|marquee|video|audio|source|base|textarea|select|option|details|summary)`;
const MARKUP = new RegExp(
  String.raw`<!--[\s\S]*?-->|&lt;!--[\s\S]*?--&gt;|<script\b[^<>]{0,200}>[^<>]{0,400}<\/script>|&lt;script\b.{0,200}?&gt;.{0,400}?&lt;\/script&gt;|<style\b[^<>]{0,200}>[^<>]{0,400}<\/style>|&lt;style\b.{0,200}?&gt;.{0,400}?&lt;\/style&gt;|<iframe\b[^<>]{0,200}>[^<>]{0,400}<\/iframe>|&lt;iframe\b.{0,200}?&gt;.{0,400}?&lt;\/iframe&gt;|<\/?${HTML_ELEMENT}\b[^<>]{0,200}>|&lt;\/?${HTML_ELEMENT}\b.{0,200}?&gt;`,
  'gi',
);

// A runbook's or a template's placeholder left in ("acknowledge {{alert_id}}", "promote $MODEL v3 to
// canary", "restart <SERVICE>"): no name; one that stands for the thing acted on reads as "it", so
// the command keeps its object. A placeholder filled in ("--alert-id=<3390>") is its value.
const PLACEHOLDER =
  /\{\{\s*\.?([\w.]{1,40})\s*\}\}|\$\{?([A-Z][A-Z0-9_]{1,40})\}?(?![\w])|<([A-Za-z][\w-]{0,40})>|<(#?(?=[\w-]*\d)[\w-]{1,40})>/g;
const OBJECT_PLACEHOLDER =
  /^(?:alert|alert_?id|alertname|id|silence|silence_?id|sil_?id|model|model_?name|service|svc|service_?name|name|target|fingerprint)$/i;
const HTML_TAG = new RegExp(`^${HTML_ELEMENT}$`, 'i');
function placeholder(
  whole: string,
  curly: string | undefined,
  shell: string | undefined,
  angled: string | undefined,
  value: string | undefined,
  at: number,
  all: string,
): string {
  // (A note keeps what it says as written; an HTML tag is markup, read elsewhere.)
  if (NOTE_BEFORE.test(all.slice(0, at)) || (angled !== undefined && HTML_TAG.test(angled))) return whole;
  if (value !== undefined) return value;
  const name = (curly ?? shell ?? angled ?? '').replace(/^.*\./, '');
  return OBJECT_PLACEHOLDER.test(name) ? ' it ' : ' ';
}
const INJECTED_SYNTAX =
  /\$\{[^}\n]{0,200}\}|\$\([^)\n]{0,200}\)|(?<=[\w-])`[^`\n]{1,100}`|(?:\.\.\/){1,10}[\w./-]*/g;
// A shell command and its arguments (flags, paths, numbers, "now"), up to the first plain word.
const SHELL = String.raw`(?:sudo\s+)?(?:rm|shutdown|reboot|halt|cat|curl|wget|chmod|chown|kill|killall|pkill|dd|mkfs[\w.]*|bash|sh|nc|systemctl)(?:\s+(?:[-~/$.][^\s;&|\x60"']*|\d+(?![\w.])|now(?![\w])))+`;
const SHELL_COMMAND = new RegExp(
  String.raw`\s*(?:&&|\|\||;)\s*${SHELL}|(?<=^|[.!?]\s+|\n)${SHELL}|\x60${SHELL}\s*\x60`,
  'gi',
);
const SPACED_SUFFIX = /(?<![\w=:-])([a-z][a-z0-9]*[a-z0-9])\s+(svc|api)\b(?![-\w]|\s*[=:])/gi;
const NUMBER_PART = new RegExp(`^(?:${NUMBER_WORD}|oh|and)$`, 'i');
const NAME_NUMBER_WORD = new RegExp(
  String.raw`\b([a-z][a-z0-9]*-(?:[a-z0-9]+-)*)(${DIGIT_WORD})\b(?!-)`,
  'gi',
);
const RESAID_NUMBER =
  /\b(\d+)\s*(hours?|hrs?|minutes?|mins?|days?|weeks?)\b([^.!?\n]{0,30}?[,.]?\s*(?:no\s+wait|wait|actually|sorry|no|scratch\s+that|i\s+mean)[,.]?\s+(?:make\s+it|let'?s\s+say|say|do))\s+(\d+)\b(?!\s*(?:h|m|d|w|min|hour|day|week|sec|%)|[.,]\d)/gi;
const QUOTED_ID =
  /(\b(?:alert|silence|id|number|no\.?|nr|#)(?:\s+(?:is|was))?\s*[:=]?\s*)['"‘“`]((?=[0-9a-f_]*\d)(?:sil_)?[0-9a-f]{2,16})['"’”`](?![\w'"’”])/gi;
const LINK_NOUN = /\b(the|a|that|this|your|my)\s+link\s+(?=(?:is|was|in|from|at|on)\b)/gi;
const CLUSTER_DNS = /\b([a-z][a-z0-9-]*)\.[a-z0-9-]+\.svc(?:\.cluster\.local)?\.?(?::\d{2,5})?(?![\w.-])/gi;
const TOOL_MODEL_REF =
  /\bmodels\/[a-z][\w.-]*\/versions\/\d+\b|\b[a-z][\w.-]*[a-z0-9]@v?\d{1,4}\b|\b[a-z][\w]*[-_][\w-]*[a-z0-9]:\d{1,2}\b(?![:.]\d)/gi;
function toolModelRef(ref: string): string {
  const path = /^models\/(.+)\/versions\/(\d+)$/i.exec(ref);
  if (path) return `${path[1]} v${path[2]}`;
  const at = /^(.+)@v?(\d+)$/i.exec(ref) ?? /^(.+):(\d+)$/.exec(ref);
  if (at) return `${at[1]} v${at[2]}`;
  return ref;
}

// A request that points back at the log line pasted before it ("`… alert_id=4471 …` got paged, ack
// it", "`… silenced by sil_q8w2` take that silence off"): the line's ids and names are what it means.
const POINTS_BACK = /\b(?:it|that|this|them|those|these|which\s+ones?)\b/i;
const LOGGED_NAME =
  /\b(?:alert_?)?id=(\w+)|#(\d{2,6})\b|\b(sil_[a-z0-9]+)\b|\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+)\b|(?<![\w=.])([a-z][a-z0-9]*(?:-[a-z0-9]+)+|v\d{1,4}|critical|warning|sev[1-3])(?![\w=])/g;
/** What is kept of a log line pasted before a request: its ids and names when the request points back at it. */
export function loggedNames(line: string, after: string): string {
  if (!POINTS_BACK.test(after)) return ' ';
  const names = [...line.matchAll(LOGGED_NAME)].map((m) =>
    m[1] || m[2] ? `alert ${m[1] ?? m[2]}` : (m[3] ?? m[4] ?? m[5])!,
  );
  return names.length > 0 ? ` ${names.join(' ')} ` : ' ';
}

// A value in scientific notation in a row of values ("3.2e-4", "1e-3", "7.0e1"): its plain value.
// Only where the message holds three numbers or more, so a hex id such as `4e12` stays itself.
const SCIENTIFIC = /(?<=^|[\s,[(:;])(-?\d+(?:\.\d+)?)e([-+]?\d{1,3})(?=$|[\s,\])])/gi;
const NUMBER_TOKEN = /(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d{1,3})?(?![\w.])/gi;

// ".2" for 0.2 beside other numbers ("predict iris 4.9 3 1.4 .2").
const LEADING_DOT = /((?:^|[\s,[(])-?)\.(?=\d)/g;

// "p 99", "p-95", "P 50": a percentile with its number split off.
const SPLIT_PERCENTILE = /\bp[\s-]+(50|75|90|95|99)\b/gi;

// "p ninety nine", "p-fifty": a percentile said in words.
const PERCENTILE_WORDS: Record<string, string> = {
  fifty: '50',
  'seventy five': '75',
  ninety: '90',
  'ninety five': '95',
  'ninety nine': '99',
};
const SPOKEN_PERCENTILE = /\bp[\s-]+(fifty|seventy[\s-]+five|ninety[\s-]+five|ninety[\s-]+nine|ninety)\b/gi;

// "the 30 last minutes" (French and Portuguese order, "les 30 dernières minutes"): "last 30 minutes".
const NUMBER_BEFORE_LAST = /\b(\d+)\s+last\s+(minutes?|hours?|days?|weeks?)\b/gi;

// "5.1/3.5/1.4/0.2", "5.1;3.5;1.4;0.2", "10|0.5|3": a row of values (one with a point at least)
// with slashes, semicolons or bars between them.
const ODD_ROW = /(?<![\d./])(?=[\d./;|\s-]*\.\d)-?\d+(?:\.\d+)?(?:\s*[/;|]\s*-?\d+(?:\.\d+)?){2,}(?![\d./])/g;
// "prdict iris6.4 3.2 4.5 1.5": a name typed onto the first value of a row.
const GLUED_VALUE = /\b([a-z]{3,})(\d+\.\d+)(?=\s+-?\.?\d)/gi;
// "put staging for iris back to what it was": back where it was before, a rollback.
const AS_IT_WAS =
  /\bback (?:to )?(?:what|how|where|whatever) (?:it|they) (?:was|were|used to be)\b(?: on \w+day| yesterday| last \w+)?/gi;
// "put the live version of the fraud model back", "put iris staging back": a rollback ("put the
// alerts back on" is no model's).
const PUT_BACK = /\bput\s+([^.?!,;\n]{1,60}?)\s+back\b(?!\s+on\b)/gi;
// "roll the live version of the fraud model back", "roll churn staging back": the verb said whole.
const ROLL_BACK_AROUND = /\broll\s+((?!back\b)[^.?!,;\n]{1,50}?)\s+back\b(?!\s+to\b)/gi;
const ALERTISH = /\b(?:alerts?|alarms?|silences?|mutes?|notifications?|pages?)\b/i;
const NOT_A_MODEL =
  /\b(?:alerts?|alarms?|silences?|mutes?|notifications?|pages?|pagers?|it|them|that|this)\b/i;
// "is the gw on fire": is it down ("what's on fire" asks which alerts fire).
const ON_FIRE = /\b(is|are)\s+((?:the\s+)?[\w-]+)\s+on fire\b/gi;

// "sev 1", "sev-2s", "SEV1": one spelling of a severity level.
const SEVERITY_LEVEL = /\bsev[\s-]?([1-4])(s)?\b/gi;

// A row of numbers with decimal commas, which only semicolons can then separate ("5,1; 3,5; 1,4"), or
// A number written with thousands separators ("alert 4,920", "3,500 rps", "9,000 of 9,000",
// "1,200,000"): one number. (A row written without spaces is not one: "5,1,3,2", "12,100,3,4".)
const THOUSANDS = /(?<![\d.,])(?<!\d,\s)\b(?:\d{1,3},\d{3}|\d,\d{3}(?:,\d{3})+)(?!\d|[.,]\d)/g;
// spaces where every number of three or more has its decimal comma ("5,1 3,5 1,4 0,2").
const DECIMAL_COMMA_ROW =
  /(?<![\d,.])-?\d+,\d+(?:\s*;\s*-?\d+(?:,\d+)?)+(?![\d,])|(?<![\d,.])-?\d+,\d+(?:\s+-?\d+,\d+){2,}(?![\d,])/g;

// Decimals said in words ("five point one, three point five, point two"): a digit word, "point", and
// the digits after it. Read only where a message says two or more of them, so that "at this point
// two alerts fired" keeps its words.
// A digit word followed by "point" begins the next decimal, not this one's fraction: "four point nine
// three point oh" is 4.9 and 3.0.
// The whole part may be a number in words ("sixty nine point five", "two hundred point five").
const SPOKEN_WHOLE = `${NUMBER_GROUP}(?:\\s+hundred(?:\\s+(?:and\\s+)?${NUMBER_GROUP})?)?`;
const SPOKEN_DECIMAL = new RegExp(
  `\\b(?:(${SPOKEN_WHOLE})\\s+)?point((?:\\s+${DIGIT_WORD}(?!\\s+point\\b))+)\\b`,
  'gi',
);

function spokenDecimals(text: string): string {
  const found = [...text.matchAll(SPOKEN_DECIMAL)];
  const commas = text.match(COMMA_BETWEEN_NUMBERS)?.length ?? 0;
  if (
    found.length < 2 &&
    commas < 2 &&
    !(commas === 1 && WORD_BESIDE_ROW.test(text)) &&
    !(found.length + commas >= 1 && ROW_NAMED.test(text))
  )
    return text;
  return text
    .replace(SPOKEN_DECIMAL, (_, whole: string | undefined, fraction: string) => {
      const digits = fraction.trim().split(/\s+/).map(digitOf).join('');
      return `${whole ? groupValue(whole) : 0}.${digits}`;
    })
    .replace(DICTATED_COMMA, ', ')
    .replace(LISTED_NUMBER_WORDS, (words: string) => {
      const value = wordsValue(words);
      if (value !== undefined) return String(value);
      // "two and sixty" at the end of a row: two numbers.
      const parts = words.split(/\s+and\s+/i).map(wordsValue);
      return parts.length > 1 && parts.every((v) => v !== undefined) ? parts.join(' and ') : words;
    });
}
// A value of a row said negative ("5.1, minus 3, 1.4", "negative 2, 3, 4"): "minus" or "negative"
// before a number with another number beside it across a comma or "and". Alone ("negative 3 alerts")
// it keeps its word.
const SAID_MINUS =
  /(?<=(?:\d\s*,|\d\s+and)\s*)(?:minus|negative)\s+(?=\d)|\b(?:minus|negative)\s+(?=\d+(?:\.\d+)?\s*(?:,|\s+and\s)\s*(?:-|minus\s|negative\s)?\s*\d)/gi;
// A row said to be one ("features three point five and two", "inputs two, ten point five, and four").
const ROW_NAMED = /\b(?:features?|inputs?|values|feature\s+values)\b/i;
// One number in words at either end of a row written in digits ("with seven, 1, 0, 55").
const WORD_BESIDE_ROW = new RegExp(
  `\\b${NUMBER_WORD},\\s*\\d+(?:\\.\\d+)?,\\s*\\d|\\d,\\s*\\d+(?:\\.\\d+)?,\\s*${NUMBER_WORD}\\b`,
  'i',
);
// In a dictated row of numbers ("five point nine comma three comma …"), the commas said aloud and
// a whole number said as one word between them.
const DICTATED_COMMA = /\s+comma\s+/gi;
// "comma" said between two numbers, in digits or words; two of them make a dictated row.
const SAID_NUMBER = `(?:\\d+(?:\\.\\d+)?|${NUMBER_WORD})`;
// Written commas count between numbers in words ("three hundred, one, zero point nine").
const COMMA_BETWEEN_NUMBERS = new RegExp(
  `\\b${SAID_NUMBER}(?:\\s+comma\\s+|,\\s*)(?=${SAID_NUMBER}\\b)(?<![\\d.]+,\\s*(?=\\d))`,
  'gi',
);
// A whole number in words in the row ("three hundred, two, 0.7", "200.5 and one and 0.3"): beside a
// comma or "and" that has a number, in digits or words, on its other side. Eight words at most, as
// number-words.ts bounds its runs.
const NUMBER_WORDS_RUN = `${NUMBER_WORD}(?:[\\s-]+(?:and\\s+)?${NUMBER_WORD}){0,7}`;
const LISTED_NUMBER_WORDS = new RegExp(
  `(?<=(?:\\d|${NUMBER_WORD})(?:,\\s*(?:and\\s+)?|\\s+and\\s+))\\b${NUMBER_WORDS_RUN}\\b|\\b${NUMBER_WORDS_RUN}\\b(?=(?:,\\s*|\\s+and\\s+)(?:\\d|${NUMBER_WORD}\\b))`,
  'gi',
);

// An id said digit by digit or in pairs after the word that names it or the verb that takes one
// ("alert number three oh nine", "mute alert four two one", "alert sixty-two oh one", "ack
// nine-nine-oh-one", "acknowledge four eight one three"): one number, as a phone reads it out.
// Three digits at least, so "alert two", "number one" or "alert forty two" keep their words.
const SPOKEN_ID = new RegExp(
  `\\b(alert|silence|number|id|#|ack|acknowledge|claim|claiming|take|taking|grab|own|mute|snooze|unmute|unsilence|unsnooze)(\\s+(?:number\\s+)?)((?:${NUMBER_GROUP}[\\s-]+)+${NUMBER_GROUP})\\b`,
  'gi',
);
const ID_GROUP_ONE = new RegExp(`${NUMBER_GROUP}(?=[\\s-]+|$)`, 'gi');

/** The digits of an id said in groups: "sixty-two oh one" → "6201". */
function spokenIdDigits(said: string): string {
  return [...said.trim().matchAll(ID_GROUP_ONE)].map((m) => String(groupValue(m[0]))).join('');
}

// A link code read out character by character ("code is b seven k four dash nine nine a two"): in
// a message about linking, a run of single letters and digit words (with "dash" between halves)
// that makes eight letters and digits, at least one of each, is that code written out.
const SPOKEN_CHAR = `(?:[a-z0-9]|${DIGIT_WORD}|dash|hyphen|-)`;
const SPOKEN_CODE = new RegExp(`\\b${SPOKEN_CHAR}(?:[\\s,]+${SPOKEN_CHAR}){7,9}\\b`, 'gi');
// "K7 D3 N8 P2": a code read out two characters at a time.
const PAIRED_CODE = /\b([a-z0-9]{2}) ([a-z0-9]{2}) ([a-z0-9]{2}) ([a-z0-9]{2})\b/i;

function spokenCodes(text: string): string {
  if (!ABOUT_LINKING.test(text)) return text;
  const paired = PAIRED_CODE.exec(text);
  if (paired && /\d/.test(paired[0]) && /[a-z]/i.test(paired[0]))
    return text.replace(paired[0], `${paired[1]}${paired[2]}-${paired[3]}${paired[4]}`.toUpperCase());
  return text.replace(SPOKEN_CODE, (run) => {
    const words = run.split(/[\s,]+/);
    const dash = words.map((w) => /^(?:dash|hyphen|-)$/i.test(w));
    const chars = words.map((w, i) => (dash[i] ? '' : w.length === 1 ? w.toUpperCase() : String(digitOf(w))));
    // The run may start with a word's last letter ("It's Z, four, K, …" starts at the "s"): the code
    // is eight characters of it, those with the said dash after the fourth if there is one, else the
    // last eight.
    let best: { from: number; to: number; plain: string } | undefined;
    for (let from = 0; from < chars.length; from++) {
      if (dash[from]) continue;
      let plain = '';
      let to = from;
      let halves = false;
      while (to < chars.length && plain.length < 8) {
        if (dash[to] && plain.length === 4) halves = true;
        plain += chars[to++];
      }
      if (plain.length !== 8 || !/\d/.test(plain) || !/[A-Z]/.test(plain)) continue;
      best = { from, to, plain };
      if (halves) break;
    }
    if (!best) return run;
    const { from, to, plain } = best;
    return [...words.slice(0, from), `${plain.slice(0, 4)}-${plain.slice(4)}`, ...words.slice(to)].join(' ');
  });
}

/**
 * Puts a chat message into the form the extractor and classifier expect, keeping letter case (alert
 * names are CamelCase): Slack links as their label, code marks dropped, ASCII quotes and dashes, one spelling of arrows, prefixes joined to their
 * verb, runs of spaces collapsed.
 *
 * @example normalize('un-mute ServiceDown, move prod → v3') // 'unmute ServiceDown, move prod -> v3'
 */
export function normalize(text: string): string {
  const out = normalizeWhole(text);
  // A note after its marker ("- the fortnight's not up", "cause the 14:02 alert was ours", "weil die
  // Wartung um 16:40 fertig war") is the writer's own words, kept as typed: where the note read in
  // the message is the note read in its rewrite (its words alone rewrite to the same), the words
  // as typed stand in for the rewritten ones. (The marks are mapped one character for one, so where
  // the note starts in them is where it starts in the message.)
  const cut = commentStart(out);
  if (cut === undefined) return out;
  const rewritten = out.slice(cut).trim();
  // (Most notes come through as typed: nothing to put back.)
  if (plainMarks(text).replace(/\s+/g, ' ').trimEnd().endsWith(rewritten)) return out;
  const typed = commentStart(plainMarks(text));
  if (typed === undefined || typed === 0) return out;
  const own = text.slice(typed);
  // (Read alone, or as a note is read, after a word that marks one: "2.4%" stays as typed in a note.)
  if (normalizeWhole(own) !== rewritten && normalizeWhole(`because ${own}`) !== `because ${rewritten}`)
    return out;
  const asTyped = plainMarks(own).replace(/\s+/g, ' ').trim();
  // (Not where the rewrite said a command the words as typed do not: "… bc of the slow client …
  // turn the p99 alert back on" is a request read as "unmute", not a note.)
  if (asTyped === rewritten || commandsIn(asTyped) !== commandsIn(rewritten)) return out;
  return `${out.slice(0, cut)}${asTyped}`;
}

const COMMAND_CONCEPTS = new Set([
  'silence',
  'unsilence',
  'acknowledge',
  'promote',
  'rollback',
  'predict',
  'link',
]);
/** The commands a text's words name, in order. */
function commandsIn(text: string): string {
  return (text.toLowerCase().match(/[a-z]+/g) ?? [])
    .map((w) => conceptOf(w))
    .filter((c) => c !== undefined && COMMAND_CONCEPTS.has(c))
    .join(' ');
}

/** Curly quotes, typographic dashes and no-break spaces as ASCII, one character for one. */
function plainMarks(text: string): string {
  let out = text;
  for (const [from, to] of ONE_FOR_ONE) out = out.replace(from, to);
  return out;
}

function normalizeWhole(text: string): string {
  let out = keyboardForm(text)
    .replace(HOST_NOISE, (noise: string, at: number, all: string) =>
      NOTE_BEFORE.test(all.slice(0, at)) ? noise : ' ',
    )
    .replace(SLACK_LINK, (_, label?: string) => label ?? ' ')
    // Markup typed around a request ("<script>alert('x')</script> is billing-svc up", "promote
    // fraud v17 to prod <!-- and to canary -->"): no words of it; a note keeps it as written.
    .replace(MARKUP, (tag: string, at: number, all: string) =>
      NOTE_BEFORE.test(all.slice(0, at)) ? tag : ' ',
    )
    // Shell and template syntax typed into a name ("payments-api`reboot`", "orders-svc$(id)",
    // "${jndi:ldap://…}", "../../etc/passwd"): no words of a request, and no name.
    .replace(PLACEHOLDER, placeholder)
    .replace(INJECTED_SYNTAX, ' ')
    // A shell command chained after the request or typed in backticks beside it ("… LAST 45M && sudo
    // rm -rf /var/lib/prometheus", "sil_3c8d; cat ~/.ssh/id_rsa", "kill -9 $(pgrep pager)", "`chmod
    // 777`"): no words of the request, and its numbers no id; a note keeps it as written.
    .replace(SHELL_COMMAND, (command: string, at: number, all: string) =>
      NOTE_BEFORE.test(all.slice(0, at)) ? command : ' ',
    )
    // A model and its version as registries and tools write them ("models/iris-classifier/versions/4",
    // "churn@v13", "fraud-detector:7"; "iris@prod", a model at its alias, is read as written); a note
    // keeps them.
    .replace(TOOL_MODEL_REF, (ref: string, at: number, all: string) =>
      NOTE_BEFORE.test(all.slice(0, at)) ? ref : toolModelRef(ref),
    )
    // A service as the cluster's DNS names it ("auth.prod.svc.cluster.local", "orders.payments.svc:8080"):
    // the service, the first label.
    .replace(CLUSTER_DNS, (name: string, service: string, at: number, all: string) =>
      NOTE_BEFORE.test(all.slice(0, at)) ? name : service,
    )
    // ("silence alert 'b4e1'", "the id is "a7d2"": an id in quotes is the id.)
    .replace(QUOTED_ID, '$1$2')
    // ("for the next 3 hours, no wait, make it 6": the number said again, in the first one's unit.)
    .replace(
      RESAID_NUMBER,
      (_: string, _n: string, unit: string, _between: string, again: string) => `${again} ${unit}`,
    )
    // A service's suffix typed after a space ("orders svc", "billing api"), or a name's last part
    // said as a number word after a said dash ("db-replica-two"): the name as the team writes it.
    .replace(SPACED_SUFFIX, (whole: string, name: string, suffix: string, at: number, all: string) =>
      COMMON_WORDS.has(name.toLowerCase()) ||
      conceptOf(name.toLowerCase()) !== undefined ||
      NOTE_BEFORE.test(all.slice(0, at))
        ? whole
        : `${name}-${suffix}`,
    )
    .replace(NAME_NUMBER_WORD, (whole: string, head: string, word: string) =>
      // ("forty-two", "oh-nine" are numbers and "v-three" a version, not names.)
      head.split('-').some((part) => part.length > 1 && !NUMBER_PART.test(part))
        ? `${head}${digitOf(word)}`
        : whole,
    )
    // ("ack alert 0x3fa9": a hex id with the prefix programmers write.)
    .replace(/\b0x(?=[0-9a-f]{3,16}\b)/gi, '')
    .replace(VERSION_IN_WORDS, (whole: string, said: string) => {
      const n = wordsValue(said.replace(/-/g, ' '));
      return n === undefined ? whole : `v${n}`;
    })
    .replace(/\//.test(text) ? PASTED_LINK : NEVER, (link: string, at: number, all: string) =>
      // (The console's link carrying a link code is what the message is about.)
      NOTE_BEFORE.test(all.slice(0, at)) || /[?&]code=/i.test(link) ? link : ' ',
    )
    .replace(LOG_CODE, (code: string, inner: string, at: number, all: string) =>
      isLogLine(inner) ? loggedNames(inner, all.slice(at + code.length)) : code,
    )
    .replace(LOG_PAIRS, (pairs: string, at: number, all: string) =>
      LOG_CUE.test(all.slice(Math.max(0, at - 60), at)) && !CODE_SHAPE.test(pairs) ? ' ' : pairs,
    )
    .replace(LOG_TAIL, '')
    .replace(SCIENTIFIC, (written: string, mantissa: string, exponent: string, _at: number, all: string) =>
      (all.match(NUMBER_TOKEN)?.length ?? 0) >= 3 ? String(Number(`${mantissa}e${exponent}`)) : written,
    )
    // (A block or a line of code after the request ends its note: "ack 5c7e weil ich bin dran\n```…",
    // "unmute sil_3k4m, weil … fertig\n`sil_3k4m KafkaLagHigh …`".)
    .replace(/(?<=\S[ \t]*)\n[ \t]*(?=`)/g, ' • ')
    .replace(CODE_MARKS, ' ')
    .replace(SLACK_EMPHASIS, '$1$2');
  for (const [from, to] of [...TYPOGRAPHIC, ...EMOJI_WORDS, ...DICTATED]) out = out.replace(from, to);
  out = fieldsInWords(out).replace(ISO_DURATION, isoDuration);
  out = spokenCodes(out).replace(SPOKEN_ID, (whole, cue: string, gap: string, said: string) => {
    const digits = spokenIdDigits(said);
    return digits.length >= 3 ? `${cue}${gap}${digits}` : whole;
  });
  // A comment's words are the writer's own: only the command before them is put in English.
  const english = inEnglish(out);
  const cut = commentStart(out, english);
  out = cut === undefined ? english : inEnglish(out.slice(0, cut)) + out.slice(cut);
  return (
    spokenDecimals(out)
      .replace(SAID_MINUS, '-')
      .replace(TIME_RANGE, ' ')
      .replace(CLOCK_TIME, (time: string, at: number, all: string) =>
        // A time inside a note is the writer's ("Reason: window closed at 21:45").
        NOTE_BEFORE.test(all.slice(0, at)) ? time : ' ',
      )
      .replace(THOUSANDS, (n: string, at: number, all: string) =>
        NOTE_BEFORE.test(all.slice(0, at)) ? n : n.replaceAll(',', ''),
      )
      .replace(DECIMAL_COMMA_ROW, (row) => row.replace(/,/g, '.'))
      .replace(LEADING_DOT, '$10.')
      .replace(ARROW, ' -> ')
      // ("transition churn version 15 to stage Production", "in stage Staging": a registry's stage,
      // as MLflow names them, is the alias of that name.)
      .replace(/\bstage\s+(?=(?:production|staging)\b)/gi, '')
      // ("churn v12 → live": the production alias, pointed at.)
      .replace(/->\s*live\b/gi, '-> production')
      // ("a 2-hour suppression", "a 30-minute mute")
      .replace(/\b(\d+)-(hour|minute|min|day|week)s?\b/gi, '$1 $2s')
      .replace(/\s*%/g, (sign: string, at: number, all: string) =>
        // A percentage inside a note is the writer's ("- error ratio back under 1% already").
        NOTE_BEFORE.test(all.slice(0, at)) ? sign : ' percent',
      )
      .replace(PER_SECOND, '$1 per second')
      // ("the link is in the pinned message", "a link from the wiki": a link to follow, no account linked.)
      .replace(LINK_NOUN, '$1 url ')
      .replace(PING_PERSON, 'tell $1')
      .replace(SPLIT_PREFIX, (_, prefix: string, verb: string) => `${prefix}${verb}`)
      .replace(HYPHENED_VERB, (_, verb: string, end: string) =>
        /^(?:back|out|forward)$/i.test(end) ? `${verb} ${end}` : `${verb}${end}`,
      )
      .replace(QUIET_STATE, '$1 idle')
      .replace(QUIET_RULE, '$1 idle')
      .replace(RETIRED_SILENCE, 'unmute$1')
      .replace(SUFFIXED, '$1 $2')
      .replace(SPLIT_PERCENTILE, (_, n: string) => `p${n}`)
      .replace(
        SPOKEN_PERCENTILE,
        (_, n: string) => `p${PERCENTILE_WORDS[n.toLowerCase().replace(/[\s-]+/g, ' ')]}`,
      )
      .replace(NUMBER_BEFORE_LAST, 'last $1 $2')
      .replace(GLUED_VALUE, '$1 $2')
      .replace(ODD_ROW, (row: string) => row.split(/\s*[/;|]\s*/).join(', '))
      .replace(AS_IT_WAS, 'back')
      .replace(PUT_BACK, (whole: string, what: string) =>
        NOT_A_MODEL.test(what) ? whole : `roll ${what} back`,
      )
      .replace(ROLL_BACK_AROUND, (whole: string, what: string) =>
        ALERTISH.test(what) ? whole : `rollback ${what}`,
      )
      // ("Iris v11 is broken, back to v10 on canary": a clause that starts "back to" a version.)
      .replace(/(^|[,;.!]\s+|\s[-—–]\s+)back\s+to\s+(?=v\d|version\s+\d)/gi, '$1roll back to ')
      .replace(ON_FIRE, '$1 $2 down')
      .replace(SEVERITY_LEVEL, (_, level: string, plural: string) => `sev${level}${plural ?? ''}`)
      // A list's bullets as one mark, once the lines are joined ("- ack 2209 bc the drill is mine\n-
      // CHG-3401 approved"): where a note on one ends.
      .replace(/\n[ \t]*[-*][ \t]+(?=\S)/g, '\n• ')
      // A line that ends without a mark before one that starts a sentence ("I saw a traceback in the
      // logs\nIs inventory-api up?"): two sentences, as they are once the lines are joined.
      .replace(/(?<=[\p{L}\p{N})\]])[ \t]*\n+[ \t]*(?=\p{Lu}\p{Ll})/gu, '. ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
