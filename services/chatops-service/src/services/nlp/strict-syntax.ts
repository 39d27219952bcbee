import type { EntityExtractor } from './entity-extractor.js';
import type { Entities } from './lexicon.js';
import { nearNames, type Resolution } from './name-resolver.js';
import { fillSlots, type WordList } from './slot-filler.js';

const SUBCOMMANDS: Record<string, { verbs: readonly string[]; fallback: string }> = {
  alerts: { verbs: ['list', 'ack', 'silence', 'unsilence'], fallback: 'list' },
  models: { verbs: ['list', 'predict', 'promote', 'rollback'], fallback: 'list' },
};
const SIMPLE = new Set(['help', 'whoami', 'status', 'metrics', 'history', 'link']);

export interface StrictParse {
  intent: string;
  entities: Entities;
  resolutions: Resolution[];
}

/**
 * Parses the strict form `<intent> [args]` (the text after `/ops`): `metrics ml-service p99 30m`,
 * `alerts silence HighLatency 2h`, `models.promote iris-classifier 3 production`. Arguments go
 * through the same entity extractor, so typos and synonyms work; a leading argument that matches
 * nothing fills the intent's main parameter as written. Returns undefined if the verb is unknown.
 */
export function parseStrict(
  text: string,
  extractor: EntityExtractor,
  everyday: WordList,
): StrictParse | undefined {
  const words = text.trim().split(/\s+/);
  // `history --help` (read as "history help"): how to use the command.
  if (words.length >= 2 && /^(?:help|-h|--help)$/i.test(words[words.length - 1]!))
    return { intent: 'help', entities: {}, resolutions: [] };
  const head = (words[0] ?? '').toLowerCase();
  const [group, dotted] = head.split('.', 2) as [string, string | undefined];
  let intent: string;
  let rest: string[];
  const sub = SUBCOMMANDS[group];
  if (sub) {
    const verb = dotted ?? (words[1] ?? '').toLowerCase();
    if (dotted !== undefined && !sub.verbs.includes(dotted)) return undefined;
    const explicit = sub.verbs.includes(verb);
    intent = `${group}.${explicit ? verb : sub.fallback}`;
    rest = words.slice(dotted !== undefined ? 1 : explicit ? 2 : 1);
  } else if (SIMPLE.has(head)) {
    intent = head;
    rest = words.slice(1);
  } else return undefined;
  const argText = rest.join(' ');
  const found = extractor.extract(argText);
  const { entities, resolutions } = fillSlots(intent, found, extractor.vocabulary, everyday);
  // `models list staging`: an alias written where the syntax puts it is meant, model or none.
  if (intent === 'models.list' && found.entities.alias !== undefined) entities.alias ??= found.entities.alias;
  const first = rest[0]?.replace(/^@/, '');
  if (first && !/^(?:all|everything|last|past)$/i.test(first)) {
    // A leading word that is itself some other entity (a signal, a window) is not the main parameter.
    const alone = extractor.extract(first);
    const itself =
      Object.keys(alone.entities).length > 0 ||
      alone.ids.length > 0 ||
      alone.names.length > 0 ||
      alone.loneNumber !== undefined;
    if (!itself || intent === 'link') {
      const key = fillPositional(intent, entities, first);
      if (key) {
        const value = entities[key] as string;
        const known = extractor.vocabulary.names[key];
        resolutions.push({
          key,
          written: first,
          value,
          match: 'unknown',
          suggestions: nearNames(value, known),
        });
      }
    }
  }
  return { intent, entities, resolutions };
}

/** Fills the intent's main parameter with the first word as written; returns the name slot it filled. */
function fillPositional(
  intent: string,
  entities: Entities,
  first: string,
): 'model' | 'service' | 'alert' | undefined {
  switch (intent) {
    case 'alerts.ack':
    case 'alerts.silence':
      if (entities.alert === undefined && entities.alert_id === undefined && entities.service === undefined) {
        // `alerts ack 3fa9`: an id as lists show it (digits, or letters and digits); else a name.
        if (/^#?(?=[a-z]*\d)[0-9a-z]{1,24}$/i.test(first)) {
          entities.alert_id = first.replace(/^#/, '').toLowerCase();
          return undefined;
        }
        entities.alert = first;
        return 'alert';
      }
      break;
    case 'alerts.unsilence':
      if (entities.silence_id === undefined && entities.alert === undefined && entities.service === undefined)
        entities.silence_id = first;
      break;
    case 'models.list':
    case 'models.predict':
    case 'models.promote':
    case 'models.rollback':
      if (entities.model === undefined && !/^[\d.,[(-]/.test(first)) {
        entities.model = first.toLowerCase();
        return 'model';
      }
      break;
    case 'history':
      if (entities.user === undefined && !entities.window) entities.user = first.toLowerCase();
      break;
    case 'link':
      entities.code ??= first.toUpperCase();
      break;
    case 'metrics':
    case 'status':
      if (entities.service === undefined) {
        entities.service = first.toLowerCase();
        return 'service';
      }
      break;
  }
  return undefined;
}
