import type { Kysely } from 'kysely';
import type { GroupState } from '../services/alerting/notification-grouper.js';
import { fromJson, type MonitoringDB } from './db.js';
import { newId } from './ids.js';

export interface OutboxEntry {
  id: string;
  receiver: string;
  url: string;
  payload: unknown;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface NotificationRepository {
  loadGroups(): Promise<GroupState[]>;
  /**
   * Saves the grouping state and enqueues the deliveries it decided, atomically: either both
   * happen or neither, so a crash cannot drop a notification or send it again.
   */
  commit(
    groups: readonly GroupState[],
    deliveries: ReadonlyArray<{ receiver: string; url: string; payload: unknown }>,
    now: number,
    /** Runs first inside the transaction: the evaluator's lease check (throws when lost). */
    fence?: (trx: Kysely<MonitoringDB>) => Promise<void>,
  ): Promise<void>;
  due(now: number, limit: number): Promise<OutboxEntry[]>;
  delivered(id: string, at: number): Promise<void>;
  failed(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  pendingCount(): Promise<number>;
}

export function createNotificationRepository(db: Kysely<MonitoringDB>): NotificationRepository {
  return {
    async loadGroups() {
      const rows = await db.selectFrom('monitoring_notification_groups').select(['state']).execute();
      return rows.map((r) => fromJson<GroupState>(r.state));
    },
    async commit(groups, deliveries, now, fence) {
      const at = new Date(now).toISOString();
      await db.transaction().execute(async (trx) => {
        await fence?.(trx);
        await trx.deleteFrom('monitoring_notification_groups').execute();
        if (groups.length > 0) {
          await trx
            .insertInto('monitoring_notification_groups')
            .values(groups.map((g) => ({ group_key: g.key, state: JSON.stringify(g), updated_at: at })))
            .execute();
        }
        if (deliveries.length > 0) {
          await trx
            .insertInto('monitoring_outbox')
            .values(
              deliveries.map((d) => ({
                id: newId('ntf'),
                receiver: d.receiver,
                url: d.url,
                payload: JSON.stringify(d.payload),
                next_attempt_at: at,
                last_error: null,
                delivered_at: null,
              })),
            )
            .execute();
        }
      });
    },
    async due(now, limit) {
      const rows = await db
        .selectFrom('monitoring_outbox')
        .selectAll()
        .where('delivered_at', 'is', null)
        .where('next_attempt_at', '<=', new Date(now))
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        receiver: r.receiver,
        url: r.url,
        payload: fromJson<unknown>(r.payload),
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at.getTime(),
        lastError: r.last_error,
      }));
    },
    async delivered(id, at) {
      await db
        .updateTable('monitoring_outbox')
        .set({ delivered_at: new Date(at).toISOString(), last_error: null })
        .where('id', '=', id)
        .execute();
    },
    async failed(id, attempts, nextAttemptAt, error) {
      await db
        .updateTable('monitoring_outbox')
        .set({
          attempts,
          next_attempt_at: new Date(nextAttemptAt).toISOString(),
          last_error: error.slice(0, 1000),
        })
        .where('id', '=', id)
        .execute();
    },
    async pendingCount() {
      const r = await db
        .selectFrom('monitoring_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('delivered_at', 'is', null)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };
}
