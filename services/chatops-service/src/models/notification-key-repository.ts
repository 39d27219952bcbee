import { type Kysely, sql } from 'kysely';
import type { ChatopsDatabase } from './db.js';

/** Alert notifications handled, by their sender's Idempotency-Key, with what came of them. */
export function createNotificationKeyRepository(db: Kysely<ChatopsDatabase>) {
  return {
    /** The outcome recorded for `key`, or undefined the first time it is seen. */
    async find(key: string): Promise<unknown | undefined> {
      const row = await db
        .selectFrom('chatops_notification_keys')
        .select('deliveries')
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return undefined;
      return typeof row.deliveries === 'string' ? JSON.parse(row.deliveries) : row.deliveries;
    },
    /** Records the outcome once handled (a concurrent duplicate keeps the first). */
    async record(key: string, deliveries: unknown): Promise<void> {
      await db
        .insertInto('chatops_notification_keys')
        .values({ key, deliveries: JSON.stringify(deliveries) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    },
    async purgeOlderThan(date: Date): Promise<void> {
      await db
        .deleteFrom('chatops_notification_keys')
        .where('received_at', '<', sql<Date>`${date}`)
        .execute();
    },
  };
}
export type NotificationKeyRepository = ReturnType<typeof createNotificationKeyRepository>;
