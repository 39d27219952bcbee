import { type Kysely, sql } from 'kysely';
import type { ChatopsDatabase } from './db.js';

/** Slack event ids seen; claiming one twice fails, which is how retries are recognised. */
export function createSlackEventRepository(db: Kysely<ChatopsDatabase>) {
  return {
    /** True the first time an event id is claimed, false for every retry after. */
    async claim(eventId: string): Promise<boolean> {
      const res = await db
        .insertInto('chatops_slack_events')
        .values({ event_id: eventId })
        .onConflict((oc) => oc.column('event_id').doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async purgeOlderThan(date: Date): Promise<void> {
      await db.deleteFrom('chatops_slack_events').where('received_at', '<', sql<Date>`${date}`).execute();
    },
  };
}
export type SlackEventRepository = ReturnType<typeof createSlackEventRepository>;
