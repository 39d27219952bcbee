import type { TObject } from '@sinclair/typebox';
import type { Entities } from '../services/nlp/lexicon.js';
import type { Block, Choice } from '../slack/blocks.js';

/** Who a chat command runs as. An unlinked chat user has no subject and no permissions. */
export interface Actor {
  /** Platform user id (`usr_...`), or null for a chat user not linked to one. */
  subject: string | null;
  roles: readonly string[];
  permissions: ReadonlySet<string>;
  /** A bearer token carrying this user's identity for calls to other services. */
  token: () => Promise<string>;
  /** `slack:<team>:<user>` for chat users, null on the API. */
  chatUser: string | null;
  source: 'api' | 'slack';
  channel: string | null;
  requestId?: string;
}

export interface CommandResult {
  reply: string;
  blocks?: Block[];
  /** Marks a run that reached the service but did not do what was asked (e.g. not found). */
  failed?: boolean;
  /** Messages to offer as buttons (e.g. the alerts an ambiguous id may mean). */
  choices?: Choice[];
}

export interface CommandContext<P> {
  actor: Actor;
  params: P;
  /** For questions about a command ("how do I mute…", "can I roll back…"): the intent asked about. */
  about?: string;
}

/**
 * One chat command: the intent it serves, the parameters it takes (a TypeBox schema over the
 * entity keys), the permission it needs from the shared role table, and whether it changes
 * something (then it waits for a confirmation before `run`).
 */
export interface CommandDefinition<P extends Partial<Entities> = Partial<Entities>> {
  intent: string;
  summary: string;
  usage: string;
  /** One message that runs it, as a person would type it. */
  example: string;
  /** Null for commands anyone may run, linked or not (help, link). */
  permission: string | null;
  /** Whether a platform identity is needed (everything but help and link). */
  needsLink: boolean;
  mutating: boolean;
  params: TObject;
  /**
   * The question to ask when a required parameter is missing, by entity key; a function gets
   * what was given, so the example can name the model the person asked about.
   */
  ask: Partial<Record<keyof Entities, string | ((params: P) => string)>>;
  /** For "one of" requirements a schema cannot say: the question to ask, if something is missing. */
  need?: (params: P) => string | undefined;
  /**
   * Reads what the person typed against live data before anything is confirmed or run: an id
   * prefix becomes the full id, or the reply says what matched (nothing, or several).
   */
  prepare?: (ctx: CommandContext<P>) => Promise<{ params: P } | CommandResult>;
  /** One line saying what a confirmed run will do, for the confirmation prompt. */
  describe?: (params: P) => string;
  run: (ctx: CommandContext<P>) => Promise<CommandResult>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every parameter shape
export type AnyCommand = CommandDefinition<any>;
