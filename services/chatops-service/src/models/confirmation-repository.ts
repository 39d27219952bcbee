import { type Kysely, sql } from 'kysely';
import type { ChatopsDatabase } from './db.js';

export interface PendingConfirmation {
  code: string;
  actor: string;
  chatUser: string | null;
  source: 'api' | 'slack';
  channel: string | null;
  intent: string;
  parameters: Record<string, unknown>;
  text: string;
  responseUrl: string | null;
  expiresAt: Date;
}

/** What {@link ConfirmationRepository.take} found under a code. */
export type Taken = { kind: 'taken'; pending: PendingConfirmation } | { kind: 'others' } | { kind: 'none' };

/** Changes waiting for confirmation. A code is taken at most once, and only by its requester. */
export function createConfirmationRepository(db: Kysely<ChatopsDatabase>) {
  return {
    async create(p: PendingConfirmation): Promise<void> {
      await db
        .insertInto('chatops_confirmations')
        .values({
          code: p.code,
          actor: p.actor,
          chat_user: p.chatUser,
          source: p.source,
          channel: p.channel,
          intent: p.intent,
          parameters: JSON.stringify(p.parameters),
          text: p.text,
          response_url: p.responseUrl,
          expires_at: p.expiresAt,
        })
        .execute();
    },

    /** The codes of the changes still waiting for `actor`'s confirmation at `now`, oldest first. */
    async pendingFor(actor: string, now: Date): Promise<{ code: string; text: string }[]> {
      return db
        .selectFrom('chatops_confirmations')
        .select(['code', 'text'])
        .where('actor', '=', actor)
        .where('expires_at', '>', sql<Date>`${now}`)
        .orderBy('expires_at')
        .execute();
    },

    /**
     * Deletes and returns `actor`'s pending change under `code` (expired or not: the caller tells
     * the user which), in one statement. Someone else's is left as it is, never taken out and put
     * back, so their own confirm cannot miss it in between nor lose it: `others` says it exists.
     */
    async take(code: string, actor: string | null): Promise<Taken> {
      const row =
        actor === null
          ? undefined
          : await db
              .deleteFrom('chatops_confirmations')
              .where('code', '=', code)
              .where('actor', '=', actor)
              .returningAll()
              .executeTakeFirst();
      if (!row) {
        const other = await db
          .selectFrom('chatops_confirmations')
          .select('code')
          .where('code', '=', code)
          .executeTakeFirst();
        return { kind: other ? 'others' : 'none' };
      }
      return {
        kind: 'taken',
        pending: {
          code: row.code,
          actor: row.actor,
          chatUser: row.chat_user,
          source: row.source,
          channel: row.channel,
          intent: row.intent,
          parameters: typeof row.parameters === 'string' ? JSON.parse(row.parameters) : row.parameters,
          text: row.text,
          responseUrl: row.response_url,
          expiresAt: new Date(row.expires_at),
        },
      };
    },

    /** Drops confirmations that expired more than `graceMs` ago. */
    async purgeExpired(now: Date, graceMs = 60 * 60 * 1000): Promise<number> {
      const res = await db
        .deleteFrom('chatops_confirmations')
        .where('expires_at', '<', sql<Date>`${new Date(now.getTime() - graceMs)}`)
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
export type ConfirmationRepository = ReturnType<typeof createConfirmationRepository>;
