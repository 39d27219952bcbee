import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChatopsDatabase } from './db.js';

export interface ChatLinkRecord {
  platform: 'slack';
  teamId: string;
  chatUserId: string;
  subject: string;
  linkedBy: string;
  linkedAt: Date;
}

const hash = (code: string) => createHash('sha256').update(code.toUpperCase()).digest('hex');

/** Chat users linked to platform users, and the one-time codes that link them. */
export function createLinkRepository(db: Kysely<ChatopsDatabase>) {
  return {
    async find(teamId: string, chatUserId: string): Promise<ChatLinkRecord | undefined> {
      const row = await db
        .selectFrom('chatops_links')
        .selectAll()
        .where('platform', '=', 'slack')
        .where('team_id', '=', teamId)
        .where('chat_user_id', '=', chatUserId)
        .executeTakeFirst();
      return row
        ? {
            platform: 'slack',
            teamId: row.team_id,
            chatUserId: row.chat_user_id,
            subject: row.subject,
            linkedBy: row.linked_by,
            linkedAt: new Date(row.linked_at),
          }
        : undefined;
    },

    async upsert(link: Omit<ChatLinkRecord, 'platform'>): Promise<void> {
      await db
        .insertInto('chatops_links')
        .values({
          platform: 'slack',
          team_id: link.teamId,
          chat_user_id: link.chatUserId,
          subject: link.subject,
          linked_by: link.linkedBy,
          linked_at: link.linkedAt,
        })
        .onConflict((oc) =>
          oc.columns(['platform', 'team_id', 'chat_user_id']).doUpdateSet({
            subject: link.subject,
            linked_by: link.linkedBy,
            linked_at: link.linkedAt,
          }),
        )
        .execute();
    },

    async saveCode(code: string, subject: string, expiresAt: Date): Promise<void> {
      await db
        .insertInto('chatops_link_codes')
        .values({ code_hash: hash(code), subject, expires_at: expiresAt })
        .execute();
    },

    /** Consumes a code: returns its subject and expiry once, then never again. */
    async takeCode(code: string): Promise<{ subject: string; expiresAt: Date } | undefined> {
      const row = await db
        .deleteFrom('chatops_link_codes')
        .where('code_hash', '=', hash(code))
        .returning(['subject', 'expires_at'])
        .executeTakeFirst();
      return row ? { subject: row.subject, expiresAt: new Date(row.expires_at) } : undefined;
    },
  };
}
export type LinkRepository = ReturnType<typeof createLinkRepository>;
