/**
 * A question about a command rather than the command itself: "how do I mute an alert?" asks for
 * help with silencing, "can I roll models back?" asks about one's own rights. `rest` is the part
 * naming the command, for the classifier to read.
 */
export interface QuestionFrame {
  kind: 'how' | 'may' | 'who';
  rest: string;
}

// (With the words other languages open a question with: "mira, can I …", "khob, how do I …",
// "yebo, …", "ajde, …", "yaar, …", "wepa, …", "chale, …", "moi, …".)
const OPENER =
  /^(?:(?:hey|hi|ok|okay|so|um|uh|yo|bot|quick question|sorry|btw|excuse me|pardon|sumimasen|mate|reckon|mira|oye|bueno|pues|ara|khob|yebo|eish|haibo|ajde|yalla|habibi|yaar|bhai|abeg|chale|parce|chamo|apologies|mano|wepa|dale|chale|charley|aye|moi|orale|órale|ándale|dai|alors|also|nou|sawa|ja|thanks|thx|and|u)[\s,:!-]+)*/;
const HOW_WORD = '(?:how|hw|hwo|hoe|howw)';
const WHAT_WORD = '(?:what|wat|wut|whta|waht)';
// Command words compared in "ack vs silence" (a comparison of signals, "p50 vs p99", is a request).
const COMMAND_WORD =
  '(?:ack|acknowledge|silence|mute|snooze|unmute|unsilence|promote|rollback|roll back|predict|link|status|metrics|history)';
const HOW: RegExp[] = anchored([
  new RegExp(
    `${HOW_WORD} (?:do|would|can|could|should|shall|does|did|might|dp|di) (?:i|we|one|you|u|someone|people|a person) (?:go about |actually |even )?(.+)`,
  ),
  new RegExp(`${HOW_WORD} (?:to|2) (.+)`),
  // "how is the way to link my account?": "what is the way", in the order Portuguese asks it.
  new RegExp(`${HOW_WORD} (?:is|'s) the (?:right |best )?way (?:to|for) (.+)`),
  // "how is one supposed to …", "how one is meant to …", "how i can …" (word order of other languages).
  new RegExp(`${HOW_WORD} (?:is |are )?(?:one|someone|a person|we) (?:is |are )?(?:supposed|meant) to (.+)`),
  new RegExp(`${HOW_WORD} (?:i|we|one) (?:can|could|should) (.+)`),
  // "how I link my account?": a how-to without its "do", as learners write it.
  new RegExp(
    `${HOW_WORD} (?:i|we) ((?:link|ack|acknowledge|mute|silence|snooze|unmute|unsilence|promote|roll|rollback|revert|predict|score|see|check|get|list|show|find|use)\\b.*)`,
  ),
  // "ack vs silence?", "difference between promote and rollback": which command to use (not
  // "the difference between precision and recall", which is no command).
  new RegExp(`(?:what'?s |what is )?(?:the )?difference between ((?=.*\\b${COMMAND_WORD}\\b).+)`),
  new RegExp(`(${COMMAND_WORD}) (?:vs\\.?|versus) ${COMMAND_WORD}\\b`),
  new RegExp(
    `(?:${WHAT_WORD}'?s|${WHAT_WORD} is|${WHAT_WORD} are) (?:the )?(?:right |proper |best |correct |usual |magic |exact )?(?:way|command|commands|cmd|cmds|syntax|format|trick|wording|words?|phrase|keyword|incantation|procedure|process) (?:to|for|of) (.+)`,
  ),
  new RegExp(
    `${WHAT_WORD} (?:do|should) (?:i|we|u|you) (?:type|say|write|send|use|enter) (?:to|for|if i want to) (.+)`,
  ),
  // "what commands are there for models", "which commands r available for alerts".
  new RegExp(
    `(?:${WHAT_WORD}|which) (?:commands?|options) (?:are|r|do you have|exist)(?: there| available)? (?:for|to|about) (.+)`,
  ),
  /is there (?:a |any |some )?(?:way|command|cmd) (?:to|for) (.+)/,
  // "does the alias default to staging if I leave it off?": how a command fills what is left out.
  /(?:does|do|will|would) (?:the |my )?((?:\w+ ){0,2}?(?:default|defaults|fall back|falls back) to\b.*)/,
  // "which command shows my history", "what cmd gives the p99" (after "qual comando mostra …").
  new RegExp(
    `(?:${WHAT_WORD}|which) (?:command|cmd) (?:shows?|gives?|lists?|displays?|does|handles?|is for) (.+)`,
  ),
  // "what does whoami actually show", "what does the history command do", "what does models list
  // show": what a command gives.
  new RegExp(
    `${WHAT_WORD} (?:does|do) (?:the )?(${COMMAND_WORD}|whoami|who ?am ?i|(?:models?|alerts?) (?:list|ls))(?: command| cmd)? (?:actually |really |even |exactly )?(?:show|do|return|mean|print|tell|give|list)`,
  ),
  // "comment on fait pour acquitter …", "comment faire pour …": French for "how do I".
  /comment (?:est-ce qu'on |est-ce que je |on |je )?(?:fait|fais|faire|peut|peux)(?: on)? (?:pour )?(.+)/,
  // "how see i the p99", "wie sehe ich …": the verb before its subject, as German puts it.
  new RegExp(`${HOW_WORD} (?:see|get|check|find|make|do|set|write|show) (?:i|we|one) (.+)`),
  // "syntax to unsil sil_77ab?", "cmd for promote": the command asked for, said bare.
  /(?:the )?(?:syntax|cmd|command|usage|format) (?:to|for) (.+)/,
  // "remind me the command for linking", "tell me the syntax to mute": the command asked for by name.
  /(?:remind|tell|show|give) (?:me|us) (?:of )?the (?:right |proper |exact |usual )?(?:way|command|commands|cmd|syntax|format|wording|usage) (?:to|for|of) (.+)/,
  // "steps to roll back a model", "what are the steps for promoting": a runbook question.
  /(?:(?:what are|what're|whats) )?(?:the )?steps (?:to|for) (.+)/,
  // (Not "tell me how laggy auth has been": how much of something, asked.)
  /(?:kindly |please )?(?:(?:could|can|would|will) (?:some ?one|some ?body|any ?one|you|u) (?:please )?)?(?:show|tell|teach|remind) (?:me|us) how (?!(?:laggy|slow|fast|busy|hot|bad|much|many|long|often|healthy|loaded|full|big|high|low)\b)(?:to |do i |i |one )?(?:can |could )?(.+)/,
  /(?:explain|describe) how (?:to |do i |i )?(.+)/,
  // An auditor's phrasing: "attest to the full list of supported operations", "specify the
  // parameters required to execute a model prediction".
  /(?:please )?(?:attest to|confirm|provide|give me|list|show me|document|enumerate) (?:the |a )?(?:full |complete )?list of (?:the |all )?(?:supported |available )?((?:operations|commands|actions)\b.*)/,
  /(?:please )?(?:specify|describe|document|explain|list) (?:the )?(?:parameters|arguments|inputs|options|syntax|fields) (?:required |needed |expected )?(?:to|for|by) (.+)/,
  // "could you describe the procedure for linking my account": a how-to asked for formally.
  /(?:(?:could|can|would|will) (?:you|u) )?(?:please |kindly )?(?:describe|explain|document|outline|advise on) (?:the|your) (?:correct |right |proper )?(?:procedure|process|steps|syntax|way) (?:for|to|of) (.+)/,
  // "please explain me how I can link my Slack account"
  /(?:please )?explain (?:to )?(?:me |us )?how (?:i |we |to |do i |one )?(?:can |could |should )?(.+)/,
  // "could you walk me through linking my account?": a how-to asked for step by step.
  /(?:(?:could|can|would|will) )?(?:(?:you|u|someone|somebody) )?(?:could |can |would )?walk (?:me|us) through (?:how (?:to |do i |i )?)?(.+)/,
  /(?:syntax|usage|format|instructions|examples?|docs|tips) (?:for|of|on) (.+)/,
  new RegExp(`${HOW_WORD} (?:does|do) (.+?) work`),
  // "how does rollback decide which version is previous", "predict usage?": how a command behaves.
  new RegExp(
    `${HOW_WORD} (?:does|do) (?:the )?(${COMMAND_WORD}(?: command| cmd)? (?:decide|choose|pick|know|determine|handle|select|treat|find)\\b.*)`,
  ),
  new RegExp(
    `(${COMMAND_WORD}) (?:usage|syntax|help|docs|examples?|format|flags|options|params|parameters|args|arguments)\\b`,
  ),
  /i (?:forgot|forget|don'?t know|dunno|have no idea|(?:am|'m) not sure) how (?:to |do i )?(.+)/,
  // "help, forgot format link code": the syntax of a command, forgotten
  /(?:help,?\s+)?(?:i\s+)?(?:forgot|forget|don'?t remember)\s+(?:the\s+)?(?:format|syntax|usage|command)\s+(?:of\s+|for\s+)?(.+)/,
  // "i never remember, is it promote x@y vN or …": a guess at a command's syntax, asked back.
  /i (?:never|can'?t|cannot|don'?t|do not) (?:remember|recall)(?: how(?: to)?)?[\s,;:-]+(?:is it |was it )?(.+)/,
  /(?:no idea|not sure|unsure) how (?:to |do i )?(.+)/,
  /help (?:me )?(?:with|on) (.+)/,
  // "what windows does metrics accept", "which aliases can promote take": what a command takes.
  new RegExp(
    `(?:${WHAT_WORD}|which) (?:\\w+ )?(?:does|do|can|will) (?:the )?(?!(?:you|u|i|we|it)\\b)(.+?) (?:accept|take|support|allow|understand|expect)\\b`,
  ),
]);
const MAY: RegExp[] = anchored([
  /(?:can|could|may) i (?:even |actually |also )?(.+)/,
  /am i (?:even |actually )?(?:allowed|able|permitted|authori[sz]ed|cleared) to (.+)/,
  /do i (?:have|hold) (?:the |sufficient |enough |the right )?(?:rights?|permissions?|perms?|access|privileges?) (?:to|for) (.+)/,
  // "is my slack user mapped to the correct console account", "whether my slack user is linked"
  /(?:(?:kindly |please )?tell me )?(?:whether |if )?(?:is )?my (?:slack )?(?:user|account|id|identity) (?:is )?((?:mapped|linked|connected|tied) to .+)/,
  /is it (?:ok|okay|fine) (?:if|for) (?:i|me) (?:to )?(.+)/,
  // "are my perms enough to deploy models", "does my role let me unmute".
  /(?:are|r|is) my (?:perms?|permissions?|rights?|roles?|access|privileges?)(?: \w+)? (?:enough|sufficient|good enough|ok|okay|high enough) (?:to|for) (.+)/,
  /(?:does|will|would|can) my (?:role|roles|account|user|access|perms?|permissions?) (?:let|allow|permit) (?:me )?(?:to )?(.+)/,
  // "would you let me roll back churn, or would you refuse me?", "I want to know if my user may
  // unsilence alerts".
  /(?:would|will) you (?:let|allow) me (?:to )?(.+)/,
  /(?:i (?:want|need|would like) to know |(?:check|see|find out|tell me) )?(?:if|whether) (?:my user|my account|i) (?:may|can|am allowed to|is allowed to) (.+)/,
  // "do my perms cover model promotion", "which slack id am I linked as".
  /(?:do|does) my (?:perms?|permissions?|roles?|rights?|access|privileges?) (?:cover|include|extend to) (.+)/,
  /(?:which|what) (?:\w+ )?(?:id|account|user|email|identity|handle) (am i (?:linked|connected|signed in|logged in)\b.*)/,
]);
// "who acked ServiceDown?", "who's been promoting models": asks who did it, which is history.
const PAST = String.raw`(?:\w+ed|ran|run|did|done|made|put|set|took|taken|shut|got|undid|went|gone|changed)`;
const WHO = anchored([
  // ("who tf rolled back stuff", "um who like muted it", patois "a who promote di iris model
  // yessideh": a word of feeling or filler before the verb, a command verb said in its base form.)
  // ("Show me who rolled back the iris canary", "could you please tell me who acknowledged …": the
  // question asked through a request to say.)
  /(?:(?:(?:could|can|would) (?:you|u) )?(?:please |kindly )?(?:show|tell|let) (?:me|us)(?: know)? )?(?:a )?who(?:'?s| has| have)? (?:tf |the hell |the heck |on earth |like |exactly |actually )?(?:been |just |already |last |recently |else )?((?:\w+ed|\w+ing|ran|did|made|put|set|took|shut|got|undid|went|promote|silence|mute|unmute|ack|roll ?back|revert)\b.*)/,
  // "did anyone mute something", "has somebody touched prod": asks whether it was done, and by whom.
  // ("did we get paged" asks about alerts).
  /did (?:any ?one|some ?one|any ?body|some ?body|people|we|i) (?:else |already |just |recently |ever )?((?!get\b|got\b|see\b|have\b)\w+\b.*)/,
  /(?:has|have) (?:any ?one|some ?one|any ?body|some ?body|people) (?:else |already |just |recently |ever )?(\w+\b.*)/,
  // "show me everything jo did", "all that priya.s changed": what one person did.
  /(?:(?:could|can|would) (?:you|u) )?(?:please )?(?:show|tell|list|give)? ?(?:me |us )?((?:everything|anything|all) (?:that )?@?[a-z][\w.-]* (?:did|has done|have done|ran|changed|touched)\b.*)/,
  // "any rollbacks in the last day", "were there promotions since lunch": actions of a kind, asked
  // about over a past stretch.
  /(?:any|were there(?: any)?|have there been(?: any)?) ((?:rollbacks|roll ?backs|promotions|promotes|acks|silences|mutes|changes|unmutes)\b.*\b(?:last|past|since|today|yesterday|overnight|this (?:morning|afternoon|week))\b.*)/,
  // "what's been done today", "what was run last night", "what got changed" (not "what's deployed").
  new RegExp(
    `(?:what|which commands?)(?:'?s been| has been| have been| was| were| got)(?: just| already| recently)? (${PAST}\\b.*)`,
  ),
]);
// "can I see / get / have …" is a polite request, not a question about rights.
const REQUEST_VERB =
  /^(?:(?:please|pls|maybe|just|quickly|possibly|perhaps) )*(?:see|get|have|look|check|view|grab|pull|know|find|ask|hear|list|show)\b/;

/**
 * Recognises the question forms in lower-cased text.
 *
 * @example questionFrame('how would i mute an alert?') // { kind: 'how', rest: 'mute an alert' }
 * @example questionFrame('can i get the p99 of ml') // undefined: a request
 */
export function questionFrame(lower: string): QuestionFrame | undefined {
  const text = lower.replace(OPENER, '').replace(/[?!.\s]+$/, '');
  for (const pattern of HOW) {
    const m = pattern.exec(text);
    if (m?.[1]) return { kind: 'how', rest: m[1] };
  }
  for (const pattern of MAY) {
    const m = pattern.exec(text);
    // ("can I see …" is a request; "do I hold the privileges to view …" still asks about rights.)
    if (m?.[1] && (pattern !== MAY[0] || !REQUEST_VERB.test(m[1]))) return { kind: 'may', rest: m[1] };
  }
  for (const pattern of WHO) {
    const m = pattern.exec(text);
    if (m?.[1]) return { kind: 'who', rest: m[1] };
  }
  return undefined;
}

function anchored(patterns: RegExp[]): RegExp[] {
  return patterns.map((p) => new RegExp(`^${p.source}`));
}
