import type { AnyCommand } from '../models/command.js';
import { type Block, type Choice, choiceButtons, context, section } from '../slack/blocks.js';
import type { Entities } from './nlp/lexicon.js';
import type { Resolution } from './nlp/name-resolver.js';
import type { Interpretation } from './nlp-processor.js';

/** A question back to the person, with messages they can send by pressing a button. */
export interface Clarification {
  reply: string;
  blocks: Block[];
  choices: Choice[];
}

export type KnownNames = Readonly<Record<'service' | 'model' | 'alert' | 'alias', readonly string[]>>;

const KIND: Record<Resolution['key'], [one: string, many: string]> = {
  model: ['model', 'models'],
  service: ['service', 'services'],
  alert: ['alert rule', 'alert rules'],
  alias: ['alias', 'aliases'],
};
// Below this, the likeliest command is too unlikely to offer: the message is about something else.
const OFFER_AT_LEAST = 0.2;
const CAPABILITIES =
  'I can check service status, show a signal of a service (latency, errors, traffic, saturation, availability), list, acknowledge and silence alerts, list models and predict, promote or roll back, and show recent commands.';

/** "Taking HighErorRatio as HighErrorRatio." for every name read as a typo of a known one. */
export function typoNotes(resolutions: readonly Resolution[]): string | undefined {
  const typos = resolutions.filter((r) => r.match === 'typo');
  if (typos.length === 0) return undefined;
  return `Taking ${typos.map((r) => `${r.written} as ${r.value}`).join(', ')}.`;
}

/**
 * The reply for a name nobody registered: says so, offers the near names as buttons (the same
 * message with the name replaced) and lists the known ones.
 *
 * @example unknownName({ key: 'model', written: 'payments-scorer', … }, ['iris-classifier'], text)
 * // "There is no model named payments-scorer. Known models: iris-classifier."
 */
export function unknownName(res: Resolution, known: readonly string[], text: string): Clarification {
  const [one, many] = KIND[res.key];
  const near = res.suggestions.length > 0 ? ` Did you mean ${orList(res.suggestions)}?` : '';
  const listed = known.length > 0 ? ` Known ${many}: ${clip(known)}.` : ` No ${many} are known yet.`;
  const reply = `There is no ${one} named ${res.written}.${near}${listed}`;
  const choices = res.suggestions.map((s) => ({ label: s, text: replaceName(text, res.written, s) }));
  return withButtons(reply, choices);
}

/**
 * The reply to a message that was not read well enough to run anything: a command word alone asks
 * what it should act on; a message about something else gets what this bot can do; an unsure
 * reading offers the likely commands.
 */
export function clarify(
  nlp: Interpretation,
  commands: ReadonlyMap<string, AnyCommand>,
  names: KnownNames,
  text = '',
): Clarification {
  if (nlp.refersBack)
    return withButtons(
      "I read each message by itself, so I can't tell what to repeat. Say the whole command, e.g. `silence 12 for 2h` or `promote iris-classifier v3 to staging`.",
      commands.has('history') ? [{ label: 'My recent commands', text: '/ops history' }] : [],
    );
  const [best] = nlp.alternatives;
  const command = best && commands.get(best.intent);
  if (!best || !command || best.confidence < OFFER_AT_LEAST) {
    return withButtons(`${offTopicOpening(text)} ${CAPABILITIES} Say \`help\` for examples.`, [
      { label: 'Help', text: 'help' },
      { label: 'Service status', text: '/ops status' },
      { label: 'Active alerts', text: '/ops alerts' },
    ]);
  }
  if (nlp.alternatives.length === 1) {
    const slot = MAIN_SLOT[best.intent];
    const targets = slot ? names[slot].slice(0, 5) : [];
    const choices = targets.map((name) => ({
      label: name,
      text: strictCommand(best.intent, { [slot!]: name }),
    }));
    const which = slot ? ` Which ${KIND[slot][0]}?` : '';
    return withButtons(
      `Do you want to ${command.summary.toLowerCase()}?${which} For example: \`${command.example}\`.`,
      choices,
    );
  }
  const options = nlp.alternatives
    .map((a) => commands.get(a.intent))
    .filter((c): c is AnyCommand => c !== undefined);
  const lines = options.map((c) => `• ${c.summary} — \`${c.usage}\``);
  const choices = nlp.alternatives
    .filter((a) => commands.has(a.intent))
    .map((a) => ({
      label: commands.get(a.intent)!.summary,
      text: strictCommand(a.intent, a.entities ?? {}),
    }));
  return withButtons(
    `I am not sure what you mean. Did you mean one of these?\n${lines.join('\n')}`,
    choices,
    ['Or say `help` for everything I can do.'],
  );
}

// A message that is only a greeting or thanks: the first thing many people say to a bot.
const GREETING =
  /^(?:hi+|hello+|hey+|hiya|howdy|yo|hallo|hola|bonjour|good (?:morning|afternoon|evening)|greetings)(?: there| all| team| bot| ops)?[\s!.,:)]*$/i;
const THANKS =
  /^(?:thanks?(?: you)?|thx|ty|cheers|much appreciated|great,? thanks)(?: a lot| so much)?[\s!.,:)]*$/i;
// Uploading a model: not a chat command, but the first thing many try with a model registry.
/** Uploading a model, which chat does not do (the help says where it is done). */
export const UPLOAD = /\b(?:upload(?:s|ed|ing)?|\.onnx)\b/i;
/** Where models are uploaded, as the help and the refusal of an upload say it. */
export const UPLOAD_HOW =
  'Models are uploaded from the command line, not in chat: `opsmesh models upload <name> <file.onnx>`; then I can promote it and predict with it.';

/**
 * How the reply to a message about nothing this bot does begins: a greeting is greeted and thanks
 * acknowledged (answering "hi" with "Sorry, I can't help with that" reads as a refusal), anything
 * else is declined.
 */
function offTopicOpening(text: string): string {
  const said = text.trim();
  if (GREETING.test(said)) return 'Hi!';
  if (THANKS.test(said)) return "You're welcome.";
  if (UPLOAD.test(said)) return UPLOAD_HOW;
  return "Sorry, I can't help with that.";
}

/**
 * A question for a missing parameter ("Which alert?"), with the known names of the command's main
 * slot as buttons that send the same command with that name filled in.
 */
export function askFor(
  question: string,
  intent: string,
  entities: Entities,
  names: KnownNames,
): Clarification {
  const slot = MAIN_SLOT[intent];
  const filled = slot ? (entities as Record<string, unknown>)[slot] : undefined;
  const choices =
    slot && filled === undefined
      ? names[slot].slice(0, 5).map((name) => ({
          label: name,
          text: strictCommand(intent, { ...entities, [slot]: name }),
        }))
      : [];
  return withButtons(question, choices);
}

/**
 * A silence given an end in words ("until tomorrow morning") rather than a length: the question
 * back, with a few lengths as buttons when there is something to silence.
 */
export function askForLength(until: string, entities: Entities): Clarification {
  const what = entities.alert_id ?? entities.alert ?? entities.service;
  const example = `silence ${what ?? 'ServiceDown'} for 12h`;
  const choices = what
    ? ['2h', '8h', '12h'].map((duration) => ({
        label: `for ${duration}`,
        text: strictCommand('alerts.silence', { ...entities, duration }),
      }))
    : [];
  return withButtons(
    `I cannot set a silence to end "${until}" (I do not know the time it means for you). How long should it last? e.g. \`${example}\``,
    choices,
  );
}

/** The name slot a command acts on, whose known names make good buttons. */
const MAIN_SLOT: Record<string, 'model' | 'alert' | 'service'> = {
  'models.predict': 'model',
  'models.promote': 'model',
  'models.rollback': 'model',
  'alerts.ack': 'alert',
  'alerts.silence': 'alert',
  'alerts.unsilence': 'alert',
  metrics: 'service',
  status: 'service',
};

/**
 * The strict form of a command with its entities (`/ops models rollback iris-classifier`): what a
 * button sends, read the same way whatever the wording it came from.
 */
export function strictCommand(intent: string, e: Entities): string {
  const parts: (string | number | undefined)[] = [];
  switch (intent) {
    case 'metrics':
      parts.push('metrics', e.service, e.signal, e.window);
      break;
    case 'alerts.list':
      parts.push('alerts', e.service, e.severity);
      break;
    case 'alerts.ack':
      parts.push('alerts ack', e.alert_id ?? e.alert);
      break;
    case 'alerts.silence':
      parts.push('alerts silence', e.alert_id ?? e.alert ?? e.service, e.duration);
      break;
    case 'alerts.unsilence':
      parts.push('alerts unsilence', e.silence_id ?? e.alert ?? e.service);
      break;
    case 'models.predict':
      parts.push('models predict', e.model, e.features?.join(','));
      break;
    case 'models.promote':
      parts.push('models promote', e.model, e.version, e.alias);
      break;
    case 'models.rollback':
      parts.push('models rollback', e.model, e.alias);
      break;
    case 'models.list':
      parts.push('models list', e.model, e.alias);
      break;
    default:
      parts.push(intent, e.service ?? e.user ?? e.code);
  }
  const comment = e.comment ? ` because ${e.comment}` : '';
  return `/ops ${parts.filter((p) => p !== undefined && p !== '').join(' ')}${comment}`;
}

function withButtons(reply: string, offered: Choice[], notes: string[] = []): Clarification {
  const choices = offered.slice(0, 5);
  const blocks: Block[] = [section(reply)];
  if (choices.length > 0) blocks.push(choiceButtons(choices));
  if (notes.length > 0) blocks.push(context(...notes));
  return { reply: notes.length > 0 ? `${reply}\n\n${notes.join(' ')}` : reply, blocks, choices };
}

/** The message with one name swapped for another, matched case-insensitively as a whole word. */
function replaceName(text: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const replaced = text.replace(new RegExp(`(^|[^\\w-])${escaped}(?![\\w-])`, 'i'), `$1${to}`);
  return replaced === text ? `${text} ${to}` : replaced;
}

function orList(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

function clip(names: readonly string[], limit = 10): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
