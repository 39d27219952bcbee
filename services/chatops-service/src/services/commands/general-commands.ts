import { type HttpClient, type Permission, ROLE_PERMISSIONS, USER_ROLES } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { Actor, AnyCommand, CommandDefinition, CommandResult } from '../../models/command.js';
import type { LinkRepository } from '../../models/link-repository.js';
import type { RunRepository } from '../../models/run-repository.js';
import { context, fields, section } from '../../slack/blocks.js';
import { UPLOAD_HOW } from '../clarifications.js';
import { parseDuration } from '../nlp/durations.js';
import { durationSeconds } from './duration-seconds.js';
import { callAs } from './upstream.js';

export interface GeneralCommandDeps {
  runs: RunRepository;
  links: LinkRepository;
  /** The whole registry, for `help`. */
  commands: () => readonly AnyCommand[];
  linkHelp: string;
  /** The auth service, for the caller's email in `whoami`; without it (or when it fails) the id is shown. */
  auth?: HttpClient;
  now?: () => Date;
}

const Empty = Type.Object({});

/** help, whoami, history and link: the commands that need no other service. */
export function generalCommands(deps: GeneralCommandDeps): AnyCommand[] {
  const now = deps.now ?? (() => new Date());

  const help: CommandDefinition = {
    intent: 'help',
    summary: 'Show what I can do',
    usage: 'help',
    example: 'what can you do?',
    permission: null,
    needsLink: false,
    mutating: false,
    params: Empty,
    ask: {},
    async run({ about }) {
      const asked = about ? deps.commands().find((c) => c.intent === about) : undefined;
      if (asked) return howTo(asked);
      const lines = deps
        .commands()
        .filter((c) => c.intent !== 'help')
        .map((c) => `• \`${c.usage}\` — ${c.summary}${c.mutating ? ' (asks to confirm)' : ''}`);
      const reply = `Ask in plain words or use \`/ops <command>\`:\n${lines.join('\n')}\n${UPLOAD_HOW}`;
      return {
        reply,
        blocks: [
          section(reply),
          context('Example: "what\'s the p99 latency of ml-service over the last 30 minutes?"'),
        ],
      };
    },
  };

  const whoami: CommandDefinition = {
    intent: 'whoami',
    summary: 'Show who I act as for you',
    usage: 'whoami',
    example: 'which roles do I have?',
    permission: null,
    needsLink: false,
    mutating: false,
    params: Empty,
    ask: {},
    async run({ actor, about }) {
      if (actor.subject === null)
        return { reply: `You are ${actor.chatUser} and not linked yet. ${deps.linkHelp}` };
      const asked = about ? deps.commands().find((c) => c.intent === about) : undefined;
      if (asked) return mayI(asked, actor);
      const perms = [...actor.permissions].sort().join(', ');
      const who = (await emailOf(actor)) ?? actor.subject;
      const reply = `You act as ${who} with roles ${actor.roles.join(', ') || 'none'}${actor.chatUser ? ` (linked from ${actor.chatUser})` : ''}.`;
      return {
        reply,
        blocks: [
          section(reply),
          fields([
            ['User', who],
            ['Roles', actor.roles.join(', ') || 'none'],
          ]),
          context(`Permissions: ${perms || 'none'}`),
        ],
      };
    },
  };

  /** The caller's email from the auth service (`GET /me` as them); undefined when it cannot say. */
  async function emailOf(actor: Actor): Promise<string | undefined> {
    if (!deps.auth) return undefined;
    try {
      return (await callAs<{ email: string }>(deps.auth, actor, { path: '/me' })).email;
    } catch {
      return undefined;
    }
  }

  const history: CommandDefinition<{ user?: string; window?: string }> = {
    intent: 'history',
    summary: 'Show recent commands',
    usage: 'history [user] [window]',
    example: 'what did alice run in the last hour?',
    permission: 'chatops:use',
    needsLink: true,
    mutating: false,
    params: Type.Object({ user: Type.Optional(Type.String()), window: Type.Optional(Type.String()) }),
    ask: {},
    async run({ actor, params }) {
      // Everyone sees their own runs; only auditors (audit:read) or chatops admins see others'.
      const seesAll = actor.permissions.has('audit:read') || actor.permissions.has('chatops:admin');
      if (params.user && !seesAll && params.user !== actor.subject) {
        return {
          reply: `Only users with the \`audit:read\` permission can see other people's history; here is yours.\n\n${await list(actor.subject!, params.window)}`,
        };
      }
      return { reply: await list(seesAll ? params.user : actor.subject!, params.window) };
    },
  };

  async function list(actor: string | undefined, window: string | undefined): Promise<string> {
    const seconds = window ? durationSeconds(parseDuration(window) ?? window) : undefined;
    const since = seconds ? new Date(now().getTime() - seconds * 1000) : undefined;
    const runs = await deps.runs.list({ actor, since, limit: 15 });
    if (runs.length === 0) return 'No commands recorded yet for that.';
    const lines = runs.map(
      (r) =>
        `• ${r.createdAt.toISOString().slice(0, 19).replace('T', ' ')} ${r.actor} \`${r.intent}\` → ${r.outcome} (${r.durationMs} ms): ${r.text.slice(0, 80)}`,
    );
    return `Recent commands${actor ? ` of ${actor}` : ''}:\n${lines.join('\n')}`;
  }

  const link: CommandDefinition<{ code?: string }> = {
    intent: 'link',
    summary: 'Link your chat user to your platform account',
    usage: 'link <code>',
    example: 'link K7Q2-M9XD',
    permission: null,
    needsLink: false,
    mutating: false,
    params: Type.Object({ code: Type.String({ pattern: '^[A-Z0-9]{4}-[A-Z0-9]{4}$' }) }),
    ask: { code: deps.linkHelp },
    async run({ actor, params }) {
      const chat = /^slack:([^:]+):(.+)$/.exec(actor.chatUser ?? '');
      if (!chat)
        return {
          reply: `You are already signed in as ${actor.subject}; linking is for chat users.`,
          failed: true,
        };
      const taken = await deps.links.takeCode(params.code!);
      if (!taken || taken.expiresAt.getTime() <= now().getTime()) {
        return { reply: `That link code is unknown, used or expired. ${deps.linkHelp}`, failed: true };
      }
      await deps.links.upsert({
        teamId: chat[1]!,
        chatUserId: chat[2]!,
        subject: taken.subject,
        linkedBy: taken.subject,
        linkedAt: now(),
      });
      return {
        reply: `Linked: from now on your commands here run as ${taken.subject}, with that account's rights.`,
      };
    },
  };

  return [help, whoami, history, link];
}

/** "How do I …" about one command: what it does, how to say it, and whether it asks first. */
function howTo(command: AnyCommand): CommandResult {
  const confirm = command.mutating ? ' I ask you to confirm before changing anything.' : '';
  const reply = `To ${lower(command.summary)}: \`${command.usage}\` (or in plain words, e.g. "${command.example}").${confirm}`;
  return {
    reply,
    blocks: [section(reply), context('Say `help` for every command.')],
    choices: [{ label: 'Try the example', text: command.example }],
  };
}

/** "Can I …" about one command: yes or no from the caller's roles, and which role would grant it. */
function mayI(command: AnyCommand, actor: Actor): CommandResult {
  const what = lower(command.summary);
  const roles = actor.roles.join(', ') || 'none';
  if (command.permission === null) return { reply: `Yes. Anyone may ${what}.` };
  if (actor.permissions.has(command.permission)) {
    return {
      reply: `Yes. To ${what} you need the \`${command.permission}\` permission, and your roles (${roles}) grant it.`,
    };
  }
  // The least role that grants it: the one to ask for.
  const granting = [...USER_ROLES]
    .reverse()
    .find((r) => ROLE_PERMISSIONS[r].includes(command.permission as Permission));
  const ask = granting ? ` The ${granting} role grants it; ask an admin if you need it.` : '';
  return {
    reply: `No. To ${what} you need the \`${command.permission}\` permission, which your roles (${roles}) do not grant.${ask}`,
  };
}

function lower(summary: string): string {
  return summary.charAt(0).toLowerCase() + summary.slice(1);
}
