import type { Kysely } from 'kysely';
import type { MonitoringDB } from './db.js';

export interface ReceiverStatus {
  receiver: string;
  lastAttemptAt: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** Where notifications went last, per receiver; written by whichever replica delivers. */
export interface ReceiverStatusRepository {
  /** One attempt: `error` null when the receiver took it and passed it on. */
  attempted(receiver: string, at: number, error: string | null): Promise<void>;
  list(): Promise<ReceiverStatus[]>;
  /** Notifications not yet delivered, per receiver. */
  pending(): Promise<Map<string, number>>;
}

export function createReceiverStatusRepository(db: Kysely<MonitoringDB>): ReceiverStatusRepository {
  return {
    async attempted(receiver, at, error) {
      const when = new Date(at).toISOString();
      const outcome =
        error === null
          ? { last_success_at: when }
          : { last_error: error.slice(0, 1000), last_error_at: when };
      await db
        .insertInto('monitoring_receiver_status')
        .values({ receiver, last_attempt_at: when, ...outcome })
        .onConflict((oc) => oc.column('receiver').doUpdateSet({ last_attempt_at: when, ...outcome }))
        .execute();
    },
    async list() {
      const rows = await db.selectFrom('monitoring_receiver_status').selectAll().execute();
      return rows.map((r) => ({
        receiver: r.receiver,
        lastAttemptAt: r.last_attempt_at.getTime(),
        lastSuccessAt: r.last_success_at?.getTime() ?? null,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at?.getTime() ?? null,
      }));
    },
    async pending() {
      const rows = await db
        .selectFrom('monitoring_outbox')
        .select((eb) => ['receiver', eb.fn.countAll<number>().as('n')])
        .where('delivered_at', 'is', null)
        .groupBy('receiver')
        .execute();
      return new Map(rows.map((r) => [r.receiver, Number(r.n)]));
    },
  };
}
