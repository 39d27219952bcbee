import type { Identity } from '@opsmesh/shared';
import type { Actor } from '../models/command.js';
import type { LinkRepository } from '../models/link-repository.js';

/** Gets a token that carries a platform user's identity, for a chat user linked to them. */
export interface DelegatedTokens {
  forSubject(subject: string): Promise<Identity>;
}

/** The actor of an API caller: their own token goes to the other services. */
export function apiActor(identity: Identity, requestId: string): Actor {
  return {
    subject: identity.subject,
    roles: identity.roles,
    permissions: identity.permissions,
    token: async () => identity.token,
    chatUser: null,
    source: 'api',
    channel: null,
    requestId,
  };
}

/**
 * The actor of a Slack user: unlinked users get no rights at all; linked users act as their platform
 * user through a token from the auth service's token exchange, with that user's roles.
 */
export async function slackActor(
  deps: { links: LinkRepository; tokens: DelegatedTokens },
  who: { teamId: string; userId: string; channelId: string | null; requestId: string },
): Promise<Actor> {
  const chatUser = `slack:${who.teamId}:${who.userId}`;
  const link = await deps.links.find(who.teamId, who.userId);
  if (!link) {
    return {
      subject: null,
      roles: [],
      permissions: new Set(),
      token: () => Promise.reject(new Error('an unlinked chat user has no platform identity')),
      chatUser,
      source: 'slack',
      channel: who.channelId,
      requestId: who.requestId,
    };
  }
  const identity = await deps.tokens.forSubject(link.subject);
  return {
    subject: link.subject,
    roles: identity.roles,
    permissions: identity.permissions,
    token: async () => identity.token,
    chatUser,
    source: 'slack',
    channel: who.channelId,
    requestId: who.requestId,
  };
}
