import { COMMON_WORDS } from './common-words.js';
import { conceptOf } from './concepts.js';
import type { Entities } from './lexicon.js';
import type { SpanSet } from './text-spans.js';

// Free text first, so words inside a comment are not read as services or durations.
const COMMENT_QUOTED = /["“]([^"”]{2,})["”]/;
const COMMENT_SINGLE_AT_END = /(?<=^|[\s,:;-])['‘]([^'‘’\n]{2,})['’]\s*[.!]?\s*$/;
// "since" gives a reason when a clause follows ("since deploy is rolling out", "since DB team is
// already on it", "since im already tuning it", "since QA signed off", "since it beat the current
// one"), a time otherwise ("since 3pm", "since yesterday", "since the promote", "since it went out":
// a clause that only says something shipped or started is a time too; "since the deploy is rolled
// out" says how things stand now, a reason).
// (Never the message's first word: "Note median latency of auth …" is a runbook's verb.)
const SINCE_SUBJECT = `(?:i['’]m|im|it['’]s|its|we['’]re|we['’]ve|they['’]re|that['’]s|there['’]s|i['’]ve|ive)`;
const SINCE_VERB = `(?:is|are|was|were|has|have|had|will|would|won't|can't|isn't|aren't|wasn't|weren't|did|didn't|does|doesn't|needs?|keeps?|[a-z]{2,}ed|went|beat|got|came|broke|ran|made|took|said|found|told|gave|saw|fell|blew|won|lost|left|kept|sent|paid|knows?|owns?|looks?|seems?|lags?|tanks?|drifts?|fails?|breaks?|beats?|wins?|takes?|blocks?|hurts?|spikes?|rejects?|returns?|flags?|crashes|crash|throws?|misses|drops?|leaks?|loses|scores?|mislabels?)`;
const SINCE_TIME = String.raw`(?:it|we|they|you|he|she|i|(?:the\s+)?(?:(?!(?:is|are)\s)[\w-]+\s+){0,2}(?!(?:is|are)\s)[\w-]+)\s+(?:went\s+(?:out|live|in)|shipped|deployed|started|began|launched|landed|released|rolled\s+out|came\s+(?:out|up|back(?!\s+(?:positive|negative|clean|green|red|fine|ok|good|bad|wrong|with|worse|better)\b))|was\s+(?:promoted|deployed|shipped|released|restarted)|promoted|restarted|upgraded|migrated|triggered|fired|happened|hit|touched|joined|switched|changed|merged|pushed)\b`;
// French "comment" (how) before its verb or subject ("tu peux m'expliquer comment acquitter une
// alerte", "comment on fait") asks how; it marks no note.
const FRENCH_HOW = String.raw`(?!\s+(?:on|je|j'|est-ce|ça|ca|faire|fait|lister|voir|acquitter|acquitte|couper|mettre|promouvoir|revenir|lier|lancer|utiliser|marche|fonctionne|savoir)\b)`;
const COMMENT_MARKER = new RegExp(
  String.raw`(?<!^\s*)\b(?:because|becuase|becasue|beacuse|bcause|becaus|becuz|bc|b\/c|cuz|coz|(?<!\b(?:the|a|root|of|no)\s)cause|reason|comment${FRENCH_HOW}|note|msg|(?<!\b(?:while|long|ages|time|days|weeks|months|ever|even)\s)since(?!\s+${SINCE_TIME})(?=\s+(?:${SINCE_SUBJECT}\s|(?:[a-z0-9][\w/@.-]*\s+){1,7}${SINCE_VERB}\b)))\b\s*[:=-]?\s*(.+)$`,
  'i',
);
// "ack 42 — db failover in progress", "silence 16 for 2d -- known flake": a dash (typographic
// dashes arrive as "-") set apart by spaces, then words, ends a command that takes a note; only in
// a message with such a command word, since elsewhere a dash joins two thoughts ("gw - is it up").
const COMMENT_DASH = /\s-{1,2}\s+([a-z<](?:(?!\s-{1,2}\s)[^\n])*)$/i;
const ASKS_FIRST =
  /^(?:could|can|would|will|is|are|was|were|do|does|did|should|shall|may|why|what|how|when|where|who|which|any|anyone|anybody|someone|u|you)\b/i;
// A request put as a question ("could you ack 4410 - db failover?", "any chance you could snooze
// 6621 - we're failing over the db?"): its question mark closes the whole request, and the words
// after the dash are still its note.
const ASKED_REQUEST =
  /^\W*(?:[\w@<>.-]+[,:]\s+)?(?:(?:hey|hi|so|ok|okay)[,\s]+)?(?:(?:could|can|would|will)\s+(?:you|u|ya|we|someone)\b|any\s+chance\b|would\s+it\s+be\s+possible\b|is\s+it\s+possible\b|(?:do\s+you\s+|would\s+you\s+)?mind\b|i\s+wonder\s+if\b|please\b|pls\b|kindly\b)/i;
// A link's query ("grafana/d/gw-slo?viewPanel=7") asks nothing.
const QUERY_STRING = /\S*[/=]\S*\?\S*|\S*\?\S*[=/]\S*/g;
// A command after the dash ("re: who silenced it — show history for jdevries", "go back — rollback
// iris champion"): the request itself, the words before it the lead-in ("— silence later maybe"
// stays a note).
const ORDERS =
  /^(?:please\s+|pls\s+)?(?:ack|acknowledge|silence|mute|snooze|unmute|unsilence|promote|rollback|roll\s+back|revert|predict|show|list|link|go\s+live|remove|expire|lift|delete|end)\s+(?!(?:later|now|soon|maybe|too|again|first|next|was|were|is|are|has|had|done|pending|tomorrow|after|afterwards|if|when|once|until|till)\b)\S/i;
// The bot addressed before an order ("… if not — bot, unmute X", "yes — @opsbot promote …").
const BOT_ADDRESS = /^(?:@?\w*bot|<@\w+>)[,:]?\s+/i;
/** Whether the words after a command's dash ask the bot something or order it, rather than note why. */
function dashAsks(text: string, dash: RegExpExecArray): boolean {
  const after = dash[1]!.replace(QUERY_STRING, ' ');
  return (
    ASKS_FIRST.test(after) ||
    // (A few words with a question mark ask too, "- u sure?"; a statement ended with one, "- we're
    // failing over the db?", is a note.)
    (after.includes('?') &&
      after.trim().split(/\s+/).length <= 3 &&
      !ASKED_REQUEST.test(text.slice(0, dash.index))) ||
    ORDERS.test(dash[1]!.replace(BOT_ADDRESS, ''))
  );
}
const NOTED_COMMAND =
  /\b(?:ack\w*|acknowledge\w*|own|owning|i'm\s+taking|claim\w*|silenc\w*|mute\w*|muting|snooze\w*|suppress\w*|shh+|shush|hush|unmute\w*|unsilence\w*|unsnooze\w*|expire|lift|terminate|cancel|remove|go\s+live|v\d+\s+(?:to|->)(?=\s+(?:prod|production|staging|stg|canary|champion|challenger|live)\b)|take|taking|grab\w*|promot\w*|push|put|make|roll(?:ing|ed)?\s*back|rollback|roll(?:ing)?(?=\s[^.?!\n]{1,60}?\bback\b)|revert\w*|point|set|move|ship|deploy)\b/i;
const OTHER_ID_BEFORE =
  /\b(?:request|trace|req|span|correlation|incident|order|transaction)[\s_-]*id\s*[:#=]?\s*$/i;
// Not a part of a longer hyphenated name ("auth-7f9c-xk2", a pod; "svc-a1b2-c3d4-e5f6").
export const LINK_CODE = /(?<![a-z0-9]-)\b(?=[a-z0-9-]{0,8}\d)[a-z0-9]{4}-[a-z0-9]{4}\b(?!-[a-z0-9])/i;
// A link code typed without its dash, only right after the word "code" ("code mn45pl67"): eight
// letters and digits alone are as likely an alert id ("ack c0ffee12").
const UNDASHED_CODE = /\bcode\s*(?:is\s*)?[:=]?\s*((?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{8})\b/i;
// A link code with a space for its dash ("link ab12 cd34", "console gave me FG56 HJ78") or its dash
// said aloud ("ab12 dash cd34"), only in a message about linking: each half has a letter and a digit, as the console's codes mostly do.
const HALF = '(?=[a-z]*\\d)(?=\\d*[a-z])[a-z0-9]{4}';
const SPACED_CODE = new RegExp(`\\b(${HALF})(?: | dash | - |\\.|_)(${HALF})\\b`, 'i');
// "lnik", "likn", "lnk": the word typed in a hurry.
const ABOUT_LINKING = /\b(?:link\w*|lnik\w*|likn\w*|lnk|connect\w*|code|hook|pair\w*|console)\b/i;
// In a message about linking, a code typed with neither dash nor the word "code" ("link my acct
// q8w2e4r6"), or halves of letters only and digits only ("link PLMN 0987"): eight letters and
// digits, at least one of each.
const LINKING_UNDASHED = /\b((?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{8})\b/i;
const CODE_ALONE = new RegExp(`^\\s*${HALF}[ -]?${HALF}\\s*[.!]*\\s*$`, 'i');
// ("the registry page link 404s": the word "link" is no half of a code.)
const LINKING_SPACED =
  /\b(?!link\b|code\b)(?=[a-z0-9 ]{0,8}\d)(?=[a-z0-9 ]{0,8}[a-z])([a-z0-9]{4}) ([a-z0-9]{4})\b/i;
const SLACK_MENTION = /<@([A-Z0-9]+)(?:\|[^>]*)?>/;
// A person's handle as typed: letters of any script ("Tomás", "Ayşe"), digits, `.`, `_`, `-`.
// A name may hold an apostrophe before more letters ("o'brien", "d’angelo"), not a possessive's "'s".
const NAME = String.raw`\p{L}(?:[\p{L}\p{N}_.-]|['’](?!s(?![\p{L}]))(?=\p{L}))*[\p{L}\p{N}]`;
const NAME_START = String.raw`\p{L}[\p{L}\p{N}_.-]*`;
// After a space, a bracket or a comma ("Sato-san (@k.sato)"); never inside an email address.
// ("@dana asked who touched fraud, show history …": the one who asked, not whose history.)
const AT_USER = new RegExp(
  String.raw`(?:^|[\s(\[,;])@(${NAME})(?![\p{L}\p{N}_-])(?!\s+(?:asked|asks|said|says|wants|needs|mentioned|told|thinks|is asking|wanted)\b)`,
  'iu',
);
// A colleague spoken to where a sentence or line begins ("… @tomasz is that the right way to check?",
// "@priyanka let's revisit in July", "@dana it's not you, relax", "@kofi has the chat timeline"): the
// one the words are for, not whose commands are asked about.
const SENTENCE_START = /(?:^|[.!?;]\s+|\n\s*|[-•*]\s+)$/;
const TO_SOMEONE =
  /^[\s,:]+(?:can|could|would|will|please|pls|fyi|thanks|thank|ty|you|your|you're|we|we'll|we're|let's|lets|i|i'll|i'm|heads-up|feel|keep|take|post|send|stay|hold|start|make|ignore|is|are|did|do|does|has|have|the|this|that|it's|its|if|when|no|yes|ok|sure|see|check|look|ping|relax|any|was|were|seen|sorry|good|nice|great|welcome|mind|not|maybe|also|btw)\b/i;
function spokenTo(text: string, at: number, length: number): boolean {
  // ("… sorry for the ping, @priyanka", "thanks, @dana": named last, after thanks or an apology.)
  if (
    /\b(?:thanks?|thank you|thx|ty|sorry|ping|cheers|fyi)\b[^,]{0,24},\s*$/i.test(
      text.slice(Math.max(0, at - 40), at),
    ) &&
    /^[\s.!?]*$/.test(text.slice(at + length))
  )
    return true;
  return SENTENCE_START.test(text.slice(Math.max(0, at - 4), at)) && TO_SOMEONE.test(text.slice(at + length));
}
const NAMED_USER = new RegExp(String.raw`\b(?:user|by)\s+['"“]?@?(?!sil_)(${NAME})`, 'iu');
const POSSESSIVE_USER = new RegExp(
  String.raw`\b(${NAME_START})'s\s+(?:history|commands|runs|activity|actions|changes|done|been\s+doing|been\s+up\s+to)\b`,
  'iu',
);
// "show me emeka history", "pull jdevries history": the person right before "history" after a verb.
const NAME_BEFORE_HISTORY = new RegExp(
  String.raw`\b(?:show|pull|get|list|see|check|give|fetch|dump)\s+(?:me\s+|us\s+)?@?(?!(?:the|my|mi|our|your|his|her|their|this|that|bot|team|all|everyone|recent|full|whole|command|cmd)\b)(${NAME})\s+(?:command\s+|cmd\s+|bot\s+)?(?:history|hist|commands|cmds|activity)\b`,
  'iu',
);
// "imran ki history dikhao" (Hindi: imran's history), "U07ABC12 what commands he ran?", "list
// everything dave asked the bot", "what did li.wei ask the bot to do": whose commands, said so.
const USER_THEN_WHAT = new RegExp(
  String.raw`^\s*@?(${NAME})\s+(?:(?:ki|ka|ke)\s+(?:history|commands|cmds)|what\s+(?:commands?|cmds?|stuff)\s+(?:he|she|they)\s+(?:ran|run|did|used))\b`,
  'iu',
);
// "did priya promote anything in the last 2 hours": who did something, asked about.
// "pull history for the new guy, sam", "U04XYZ9Q history 1d", "has jordan run more commands than
// usual": the person said beside what they are, first, or as the one who ran.
const APPOSED_USER = new RegExp(
  String.raw`\bhistory\s+(?:of|for)\s+(?:the\s+|our\s+)?(?:new\s+)?(?:guy|girl|person|intern|hire|one|colleague|engineer|dev)[,\s]+@?(${NAME})`,
  'iu',
);
// (A handle-shaped name only, `U04XYZ9Q`, `ana.souza`: "tail history" is a shell word.)
const USER_HISTORY = new RegExp(
  String.raw`^\s*@?((?=[\p{L}\p{N}_.-]*[._\d])${NAME})\s+(?:history|hist)\b`,
  'iu',
);
// "nenad history. ajde", "priya. history. today.": a name and "history", nothing else asked (a word of everyday chat before
// it, "tail history", "full history", is no name).
const NAME_HISTORY_ALONE = new RegExp(
  String.raw`^\s*@?(${NAME})[.,]?\s+(?:history|hist)\b\s*(?:[.!?,]+\s*\p{L}+)?\s*[.!?]*\s*$`,
  'iu',
);
const HAS_USER_RUN = new RegExp(String.raw`\bhas\s+@?(${NAME})\s+(?:run|ran|done|used)\b`, 'iu');
const DID_USER = new RegExp(
  String.raw`\bdid\s+@?(${NAME})\s+(?:promote|ack|acknowledge|silence|mute|unmute|roll|rollback|revert|run|touch|change|do)\s+(?:anything|something|any)\b`,
  'iu',
);
const ASKED_THE_BOT = new RegExp(
  String.raw`\b(?:everything|what|things|stuff|did)\s+@?(${NAME})\s+(?:asked|told|had|ask|tell|have)\s+(?:the\s+)?bot\b`,
  'iu',
);
// "what did alice run", "what has bob been doing\", "whats carol been up to": a person's name where history asks about one.
// "what did marco and jo do": the first of two people asked about; "what commands did sam run";
// "what did julien actually do", "what did carlos in the bot" (the verb left out).
const ASKED_USER = new RegExp(
  String.raw`\b(?:what|wht|wat|waht)(?:'s|s)?\s+(?:else\s+)?(?:all\s+)?(?:(?:commands?|cmds?|stuff)\s+)?(?:did\s+|has\s+|have\s+)?(?:(?:like|um|uh|basically)\s+)?@?(${NAME})(?:\s+(?:and|&|or|\+)\s+@?${NAME})?\s+(?:(?:actually|really|even|exactly|all)\s+)?(?:run|ran|do|did|done|type|typed|been|just|executed|made|fire|fired|issue|issued|send|sent|change|changed|touch|touched|(?<=\bdid\s+@?\S+\s+)(?=(?:in|on)\s+(?:the\s+)?bot\b))\b`,
  'iu',
);
// "everything jo did", "all that priya.s changed": the person whose actions are asked for.
const EVERYTHING_USER = new RegExp(
  String.raw`\b(?:everything|anything|all)\s+(?:that\s+)?(?:my\s+(?:coworker|colleague|teammate|mate|friend|manager|lead)\s+)?@?(${NAME})\s+(?:did|has\s+done|have\s+done|ran|changed|touched)\b`,
  'iu',
);
// "Priya ne last 1 hour mein kya commands chalaye?": Hindi names who acted first, with "ne".
const ERGATIVE_USER = new RegExp(String.raw`^\s*@?(${NAME})\s+ne\s`, 'iu');
// "commands of raj", and "comandos do raj" / "historique de julien" / "Verlauf von dieter" as
// Portuguese, French and German say "of".
const HISTORY_OF_USER = new RegExp(
  String.raw`\b(?:commands?|cmds|runs|actions|changes|history(?:\s+commands?)?|hist|activity|audit(?:\s+(?:trail|log))?|comandos|commandes|befehle|histórico|historique|verlauf)\s+(?:from|of|for|do|da|de|du|von|vom)\s+@?(${NAME})(?![\p{L}\p{N}])`,
  'iu',
);
// "history ines 2h", "history raj last day": a name right after "history" and before a time.
const HISTORY_THEN_USER = new RegExp(
  String.raw`\b(?:history|histroy|hsitory|histry|hist)\s+(?:(?:of|for|by|from|ya|wa|fit|fir|foe)\s+)?@?(${NAME})(?=\s+(?:\d|last\b|lst\b|past\b|since\b|today\b|yesterday\b)|\s*[.!?]*\s*$)`,
  'iu',
);
// "show the commands omar ran", "stuff priya did": the person who ran them, after what they ran.
const RAN_BY_USER = new RegExp(
  String.raw`\b(?:commands?|cmds?|things|stuff)\s+(?:that\s+|which\s+)?(?:the\s+)?@?(${NAME})\s+(?:ran|run|did|has\s+run|executed|typed)\b`,
  'iu',
);
// "ahmet.y son 7 günde ne çalıştırdı", "U07ABC12 chạy lệnh gì …", "priya'nın son 1 gündeki
// komutlarını göster": the person first, what they ran after (Turkish and Vietnamese order).
const USER_FIRST = new RegExp(
  String.raw`^\s*@?(?!(?:who|what|which|any ?one|some ?one|every ?one|some ?body|no ?body|people|i|we|you)\b)(${NAME})\s+(?:ran\s+commands|last\s+\S+\s+\S+\s+(?:ne\s+)?(?:ran|commands))\b`,
  'iu',
);
// "qu'est-ce que Thomas a lancé", "what thomas has run": who ran, in the order French asks it.
// "which actions did Priya perform", "what actions Dana took": whose actions, asked after.
const WHICH_ACTIONS_USER = new RegExp(
  String.raw`\b(?:which|what)\s+(?:actions|changes)\s+(?:did\s+)?@?(${NAME})\s+(?:perform|performed|make|made|take|took|do|did|run|ran)\b`,
  'iu',
);
// "dana did what": the person, then what they did asked after.
const USER_DID_WHAT = new RegExp(String.raw`^\s*@?(${NAME})\s+(?:did|ran|changed)\s+what\b`, 'iu');
const WHAT_USER_RAN = new RegExp(
  String.raw`\b(?:que|what)\s+@?(${NAME})\s+(?:a|has|have)\s+(?:ran|run|done|did|launched|executed)\b`,
  'iu',
);
// A Slack member id typed bare ("what did U07ABCD do"): kept in its own case, as Slack writes it.
const SLACK_ID = /^[UW][A-Z0-9]{6,}$/;
// Acronyms may stand inside or at either end of one ("DiskIOSaturated", "CPUThrottlingHigh",
// "ErrorRateSLO"); a word in capitals alone ("SITREP") is no name.
const HEX_IN_CAPITALS = /^[0-9A-F]{3,12}$/;
const CAMEL_ALERTS = /\b[A-Z]+[a-z0-9]+(?:[A-Z]+[a-z0-9]+)+[A-Z]*\b|\b[A-Z][a-z0-9]+[A-Z]{2,}\b/g;
// Tools and products people name in CamelCase, never a rule of theirs.
const TOOL_NAMES = new Set(
  'pagerduty opsgenie alertmanager github gitlab javascript typescript postgresql mysql mongodb rabbitmq cloudwatch datadog launchdarkly statuspage powershell victorops servicenow bigquery openai youtube linkedin whatsapp dynamodb elasticsearch opensearch cloudflare newrelic sendgrid hubspot salesforce grafanacloud splunkcloud mlflow'.split(
    ' ',
  ),
);
const NOT_USERS = new Set(
  'the me my mine i you we they he she it us them our your their people someone somebody anyone anybody everyone everybody nobody team all last past previous recent severity service services user users are is was were am be been this that today yesterday has have had did does do else commands command changes actions things stuff folks ppl guys ya yall on-call oncall accident mistake default hand chance design now then far eod tomorrow bot bots from lah ah leh el fel hoje ontem das dos tail head cat grep less print dump view git bash shell zsh slack chat channel query search sudo'.split(
    ' ',
  ),
);
// Patterns that name a user by an explicit marker (`@bob`, `<@U1>`, "user bob", "by bob"); the
// others find one by the words around it, so they must not take a noun ("what models do we have").
const LOOSE: ReadonlySet<RegExp> = new Set([
  POSSESSIVE_USER,
  USER_THEN_WHAT,
  ASKED_THE_BOT,
  USER_HISTORY,
  NAME_HISTORY_ALONE,
  HAS_USER_RUN,
  NAME_BEFORE_HISTORY,
  ASKED_USER,
  EVERYTHING_USER,
  HISTORY_OF_USER,
  HISTORY_THEN_USER,
  WHAT_USER_RAN,
  USER_DID_WHAT,
  WHICH_ACTIONS_USER,
  ERGATIVE_USER,
]);

const GLOBAL = new Map<RegExp, RegExp>();
/** The pattern with the `g` flag, made once, for `matchAll`. */
function everywhere(pattern: RegExp): RegExp {
  let global = GLOBAL.get(pattern);
  if (!global) {
    global = new RegExp(pattern.source, `${pattern.flags}g`);
    GLOBAL.set(pattern, global);
  }
  return global;
}

/** The first match of a global pattern that `fits`, trying again one character on after each that does not. */
function firstFit(
  pattern: RegExp,
  text: string,
  fits: (m: RegExpExecArray) => boolean,
): RegExpExecArray | undefined {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (fits(m)) return m;
    pattern.lastIndex = m.index + 1;
  }
  return undefined;
}

/** A word of everyday English or of operations ("models", "alerts"), so not a person's handle. */
function isWord(word: string): boolean {
  return COMMON_WORDS.has(word) || conceptOf(word) !== undefined;
}

/** A comment's text: its first sentence ("investigating with DB team. I'll post an update …"). */
function clean(comment: string): string {
  const first = comment.trim().split(NOTE_ENDS)[0]!.split(AFTERTHOUGHT)[0]!;
  const bare = first.replace(/[.!?]+$/, '').replace(CLOSING_PARTICLE, '');
  // "(reason: known flaky probe, tracked in OPS-88)." : the bracket closing around the note.
  const opened = (bare.match(/\(/g) ?? []).length;
  return (bare.match(/\)/g) ?? []).length > opened ? bare.replace(/\)+[.!?]*$/, '') : bare;
}
// Where a note's sentence ends and the message goes on (its lines run together by now): a full stop
// before a capital, a mention, a channel, a bullet or a list number ("… phone with me. @rafa can you
// look"); a question mark; a chat log's next time ("… gw logs now [03:37] @rafa fyi", "… 5xx-ing 04:17
// will leave a note"); a bullet ("… reindex • fraud canary stays"); a list's next number ("… known
// noisy 4. I'll have no laptop"); a capitalised word that only starts a sentence ("… step by step
// Can someone double-check").
const NOTE_ENDS = new RegExp(
  [
    String.raw`(?<=[.!?])\s+(?=[A-Z@#[•*]|\d{1,2}[.):]\s)`,
    String.raw`\?\s+`,
    String.raw`\s+(?=\[\d{1,2}:\d{2}(?::\d{2})?\])`,
    String.raw`(?<!\b(?:at|by|until|till|til|since|from|around|before|after|to|the|a|an|this|that|our|my|his|her|their|its|in|on|of|for|um|bis|ab|seit|gegen|las|à|alle|om|@))\s+(?=\d{1,2}:\d{2}\s+[a-z@])`,
    String.raw`\s+[•*]\s+`,
    // An emoji between two sentences ("… the numbers wrong 🙈 churn on staging: …").
    String.raw`\s*(?:\uD83C[\uDF00-\uDFFF]|\uD83D[\uDC00-\uDEFF]|\uD83E[\uDD00-\uDEFF])+\s+(?=[a-z@])`,
    String.raw`\s+(?=\d[.)]\s+[A-Za-z@])`,
    // A next sentence begun in lower case ("… token refresh. it's the same thing as tuesday", "…,
    // CHG-21015. ruth pls don't panic"), past the dot of an abbreviation or a unit ("e.g.", "30 min.").
    String.raw`(?<=[\w)'"%][.!])(?<!\d\.\d{1,2}\.)(?<!\b(?:e\.g|i\.e|vs|etc|approx|incl|esp|cf|a\.m|p\.m|min|mins|sec|secs|hr|hrs|no|nr|ver|v)[.!])\s+(?=[a-z])`,
    String.raw`(?<=[a-z0-9,])\s+(?=(?:Can|Could|Would|Will|Is|Are|Do|Does|Did|Please|Also|Thanks|Thank|Sorry|Next|Then|Let's|FYI|Reminder|Anyway)\b)`,
  ].join('|'),
);
// A particle of politeness closing the message ("incident closed ạ", "it's fixed lah", "done
// nhé", "db team on it krub"): the writer's tone, not the note.
const CLOSING_PARTICLE =
  /[\s,]+(?:ạ|nhé|nha|ơi|lah|leh|lor|krub|krap|khrap|na ka|ka|po|dai|hajur|ji|pe)[.!?]*$/iu;
// "…, and I'll post the notebook after lunch", "…, then I'll set a reminder": the writer going on
// about what they will do next ends the note, and so do a sign-off, a link to see and the next
// bullet of a list ("… db failover in progress\nthx", "… - will update inc-4410.md").
const AFTERTHOUGHT =
  /,\s+(?:and\s+|then\s+|though\s+|but\s+)?(?:i'll|i will|i'm going to|i am going to|then i)\b|\s+(?:-\s+(?=will\b|i'll\b|then\b|also\b|postmortem\b)|see\s+https?:|(?:thx|thanks|thank you|ty|cheers|(?:kind\s+|best\s+|warm\s+)?regards|br)\b[\s,!.]*(?:[a-z]+[.!]?)?\s*$)/i;

/**
 * The note after a word that marks one. "since" marks a note only after a command that takes one
 * ("ack 3318 since I'm on it"); after a question it says from when ("error rate on auth since the
 * incident triggered").
 */
function noteMarked(text: string, english = text, anyCommand = false): RegExpExecArray | null {
  const m = COMMENT_MARKER.exec(text);
  const commanded =
    anyCommand ||
    NOTED_COMMAND.test(text.slice(0, m?.index)) ||
    (english !== text && NOTED_COMMAND.test(english));
  if (m && /^since\b/i.test(m[0]) && !commanded) return null;
  return m;
}

/**
 * Where the words of a comment begin (past "because", "reason:", a dash after a command), if the
 * message has one: those words are the writer's own and are kept as written, whatever language
 * they are in ("reason: migration en cours" keeps its "en"). `english` is the message with its
 * command words in English, where a command in another language is found. `anyCommand`: a reason
 * after "since" counts whatever the command is said with ("make churn v16 the champion since …"),
 * for keeping the writer's words as written before the command is known.
 */
export function commentStart(text: string, english = text, anyCommand = false): number | undefined {
  const marked = noteMarked(text, english, anyCommand) ?? FOREIGN_REASON.exec(text);
  if (marked) return marked.index + marked[0].length - marked[1]!.length;
  // The command may be in another language ("reconoce la alerta #912 — migración en curso").
  if (!NOTED_COMMAND.test(english)) return undefined;
  const dash = COMMENT_DASH.exec(text);
  return dash && !dashAsks(text, dash) ? dash.index + dash[0].length - dash[1]!.length : undefined;
}
// The same leads in the languages foreign-words.ts reads ("porque es mantenimiento", "weil …", "parce
// qu'il …", "kyunki …", Russian "potomu chto" / "tak kak", Arabic "3ashan", Japanese "riyuu:",
// Portuguese "motivo:", Malay "sebab", Welsh "achos", Estonian "sest", Greek "giati", Yoruba "nítorí
// pé", Hebrew "ki" before a noun with its article joined, "ki ha-fix ala", Polish "bo", not before an
// English verb or word, where Bo is a name: "bo is looking").
const FOREIGN_REASON =
  /(?:(?<![\p{L}])(?:porque|weil|omdat|parce que|perché|perche|pois|eftersom|d[aä]rf[oö]r att|protože|protoze|pentru c[aă]|ponieważ|poniewaz|kyunki|kyonki|potomu chto|tak kak|3ashan|3alashan|sebab|achos|sest|giati|bo(?=\s+(?!(?:is|was|has|had|will|would|can|could|should|says|said|and|or|the|to|on|in|at|of|for|from|with|just|did|does|thinks|wants|asked|needs|knows|isn't|wasn't|doesn't|didn't|can't|won't|is't|and)(?![\p{L}'’]))|\s+to\s+(?=moj|nasz|jest|by[lł]|nie|ju[zż]|tylko))|çünkü|vì|soalnya|proh wa|(?<=,\s*)vi|n[ií]tor[ií] p[eé]|ki(?=\s+ha-))\s+|(?<![\p{L}])parce qu['’]\s*|(?<![\p{L}])(?:riyuu|motivo|sebep|reden)\s*:\s*)(.+)$/iu;

/**
 * Entities recognised by their shape rather than a vocabulary: comments, link codes, users,
 * CamelCase alert names (as written; the extractor resolves them). Claims their spans so later
 * matching skips them.
 */
export function findPatternEntities(text: string, spans: SpanSet): Entities {
  const out: Entities = {};
  // A quote that carries a link code is the console's message pasted ("Your link code is
  // HJ23-KL45"), not a comment.
  let quoted = COMMENT_QUOTED.exec(text);
  // Single quotes closing a command ("mute X 1d, 'maintenance window'") hold its note too; inside a
  // sentence they only mark a name or a phrase ("the 'black friday' build").
  if (!quoted && NOTED_COMMAND.test(text)) {
    quoted = COMMENT_SINGLE_AT_END.exec(text);
    // (A word quoted at the end of a later sentence, "… because v16 flags every card. @joao status
    // page: 'degraded'", is that sentence's; the note is the one marked.)
    const marker = quoted && noteMarked(text);
    if (marker && marker.index < quoted!.index && /[.!?]\s/.test(text.slice(marker.index, quoted!.index)))
      quoted = null;
  }
  if (quoted && LINK_CODE.test(quoted[1]!)) quoted = null;
  const marked = quoted
    ? undefined
    : (noteMarked(text) ?? (NOTED_COMMAND.test(text) ? COMMENT_DASH.exec(text) : null));
  // "ack 1180 — could you do that for me?", "promote v7 — is this where I do that?": a question after
  // the dash asks the bot something; it is no note for the alert or the model.
  const asks = marked && !quoted && marked[0].trimStart().startsWith('-') && dashAsks(text, marked);
  let comment = quoted ?? (asks ? null : marked);
  // "I got a new code because the last one expired, link me with U3PZ-6WCD": the code is no note's.
  if (comment?.[1] && !quoted && LINK_CODE.test(comment[1]) && ABOUT_LINKING.test(text)) comment = null;
  if (comment?.[1] && clean(comment[1]).length > 0) {
    out.comment = clean(comment[1]);
    spans.take(comment.index, comment.index + comment[0].length, 'comment');
  }
  let code = LINK_CODE.exec(text);
  // ("request id 8f2c-77aa", "trace id …": an id of another system, not a link code.)
  if (code && OTHER_ID_BEFORE.test(text.slice(Math.max(0, code.index - 24), code.index))) code = null;
  // A message of a code alone ("b2c9 m4k7") is about linking; a note's words say nothing of it
  // ("take 1187 reason: investigating db connections").
  const unnoted = out.comment !== undefined && comment ? text.slice(0, comment.index) : text;
  const linking = ABOUT_LINKING.test(unnoted) || CODE_ALONE.test(text);
  // Eight letters and digits in one word beat two halves read across a space ("link c0de D4E6F8G2").
  const spaced = linking
    ? (SPACED_CODE.exec(text) ?? (LINKING_UNDASHED.test(text) ? null : LINKING_SPACED.exec(text)))
    : null;
  // "JIRA-4411", "OPS-1234"-like keys (letters, then digits) are tickets unless the message is about linking.
  if (code && !linking && /^[a-z]{4}-\d{4}$/i.test(code[0])) code = null;
  if (code && spans.isFree(code.index, code.index + code[0].length)) {
    out.code = code[0].toUpperCase();
    spans.take(code.index, code.index + code[0].length, 'code');
  } else if (spaced) {
    if (spans.isFree(spaced.index, spaced.index + spaced[0].length)) {
      out.code = `${spaced[1]}-${spaced[2]}`.toUpperCase();
      spans.take(spaced.index, spaced.index + spaced[0].length, 'code');
    }
  } else {
    const undashed = UNDASHED_CODE.exec(text) ?? (linking ? LINKING_UNDASHED.exec(text) : null);
    if (undashed) {
      const start = undashed.index + undashed[0].length - undashed[1]!.length;
      const raw = undashed[1]!.toUpperCase();
      if (spans.isFree(start, start + raw.length)) {
        out.code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
        spans.take(start, start + raw.length, 'code');
      }
    }
  }
  for (const pattern of [
    SLACK_MENTION,
    AT_USER,
    POSSESSIVE_USER,
    NAMED_USER,
    ASKED_USER,
    EVERYTHING_USER,
    HISTORY_OF_USER,
    HISTORY_THEN_USER,
    NAME_BEFORE_HISTORY,
    WHAT_USER_RAN,
    RAN_BY_USER,
    USER_FIRST,
    USER_THEN_WHAT,
    ASKED_THE_BOT,
    DID_USER,
    APPOSED_USER,
    USER_HISTORY,
    NAME_HISTORY_ALONE,
    HAS_USER_RUN,
    ERGATIVE_USER,
    USER_DID_WHAT,
    WHICH_ACTIONS_USER,
  ]) {
    // Every place the pattern fits, not only the first: "history de commands do raj" fits first at
    // "history de commands", which names no one.
    const m = firstFit(everywhere(pattern), text, (m) => {
      // ("what's p99 been doing": a signal, not a person.)
      if (!m[1] || NOT_USERS.has(m[1].toLowerCase()) || /^p\d\d$/i.test(m[1])) return false;
      if (pattern === AT_USER && spokenTo(text, m.index + m[0].indexOf('@'), m[1].length + 1)) return false;
      if (LOOSE.has(pattern) && !m[0].includes('@') && isWord(m[1].toLowerCase())) return false;
      const start = m.index + m[0].lastIndexOf(m[1]);
      return spans.isFree(start, start + m[1].length);
    });
    if (!m?.[1]) continue;
    const start = m.index + m[0].lastIndexOf(m[1]);
    out.user = pattern === SLACK_MENTION || SLACK_ID.test(m[1]) ? m[1] : m[1].toLowerCase();
    spans.take(start, start + m[1].length, 'user');
    break;
  }
  // ("ack B7F1": hex digits in capitals are an id, not a name; "PagerDuty #61007 HighErrorRatio":
  // the tool a notification came from is no rule.)
  for (const camel of text.matchAll(CAMEL_ALERTS)) {
    if (HEX_IN_CAPITALS.test(camel[0]) || TOOL_NAMES.has(camel[0].toLowerCase())) continue;
    if (spans.isFree(camel.index, camel.index + camel[0].length)) {
      out.alert = camel[0];
      spans.take(camel.index, camel.index + camel[0].length, 'alert');
    }
    break;
  }
  return out;
}
