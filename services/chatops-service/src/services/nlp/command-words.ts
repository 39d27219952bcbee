import { COMMON_WORDS } from './common-words.js';
import { conceptOf } from './concepts.js';

// Concepts only this bot's commands are about; "make", "book" or "cook" are in none of them.
const COMMAND_CONCEPTS: ReadonlySet<string> = new Set([
  'silence',
  'unsilence',
  'acknowledge',
  'rollback',
  'promote',
  'predict',
  'health',
  'measure',
  'history',
  'identity',
  'alerting',
  'modelling',
  'link',
]);

// Verbs that are one command each: leading a question, they say which command it is about.
const ACTION_INTENTS: Readonly<Record<string, string>> = {
  silence: 'alerts.silence',
  unsilence: 'alerts.unsilence',
  acknowledge: 'alerts.ack',
  rollback: 'models.rollback',
  promote: 'models.promote',
  predict: 'models.predict',
};

// Words that are a whole command by themselves ("menu", "alarms", "audit"): those that need nothing.
const ALONE_INTENTS: Readonly<Record<string, string>> = {
  help: 'help',
  history: 'history',
  alerting: 'alerts.list',
  modelling: 'models.list',
};

/**
 * The command one word means when it is the whole message, if it is a command by itself.
 *
 * @example aloneCommand('tutorial') // 'help'
 * @example aloneCommand('mute') // undefined: mute what?
 */
export function aloneCommand(word: string): string | undefined {
  const concept = conceptOf(word);
  return concept ? ALONE_INTENTS[concept] : undefined;
}

/**
 * Whether a phrase uses a word of one of the commands, everyday words aside.
 *
 * @example namesCommand('unmute something') // true
 * @example namesCommand('make pasta') // false
 */
export function namesCommand(phrase: string): boolean {
  return phrase
    .split(/[^a-z0-9]+/)
    .some((w) => !COMMON_WORDS.has(w) && COMMAND_CONCEPTS.has(conceptOf(w) ?? ''));
}

/**
 * The command a phrase's leading verb is, from its classifier features (whose `f:` feature is the
 * concept of the first word that has one, phrasal verbs read whole).
 *
 * @example actionIntent(features('deploy models')) // 'models.promote'
 * @example actionIntent(features('see who ran what')) // undefined
 */
export function actionIntent(features: readonly string[]): string | undefined {
  const lead = features.find((f) => f.startsWith('f:'));
  return lead ? ACTION_INTENTS[lead.slice(2)] : undefined;
}
