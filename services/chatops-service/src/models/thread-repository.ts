import type { Kysely } from 'kysely';
import type { NotificationThread, ThreadStore } from '../notifications/alert-notifier.js';
import type { ChatopsDatabase } from './db.js';

/** Where each alert group's Slack message lives, per channel. */
export function createThreadRepository(db: Kysely<ChatopsDatabase>): ThreadStore {
  return {
    async find(groupKey, channel) {
      const row = await db
        .selectFrom('chatops_notification_threads')
        .selectAll()
        .where('group_key', '=', groupKey)
        .where('channel', '=', channel)
        .executeTakeFirst();
      return row
        ? {
            groupKey: row.group_key,
            channel: row.channel,
            channelId: row.channel_id,
            ts: row.ts,
            status: row.status,
          }
        : undefined;
    },

    async save(t: NotificationThread) {
      await db
        .insertInto('chatops_notification_threads')
        .values({
          group_key: t.groupKey,
          channel: t.channel,
          channel_id: t.channelId,
          ts: t.ts,
          status: t.status,
          updated_at: new Date(),
        })
        .onConflict((oc) =>
          oc
            .columns(['group_key', 'channel'])
            .doUpdateSet({ status: t.status, ts: t.ts, updated_at: new Date() }),
        )
        .execute();
    },
  };
}
