import { type QueryExecutorProvider, sql } from 'kysely';
import type { DatabaseSession } from './database.js';

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) {
    throw new Error(`change channel "${channel}" must be a lower-case identifier (a-z, 0-9, _)`);
  }
}

/**
 * Tells every replica watching `channel` that something changed. Run inside the transaction that
 * makes the change: PostgreSQL delivers the notification on commit, and never on rollback.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('ml_aliases').set(...).execute();
 *   await notifyChange(trx, 'ml_registry', 'alias');
 * });
 */
export async function notifyChange(db: QueryExecutorProvider, channel: string, payload = ''): Promise<void> {
  checkChannel(channel);
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

export interface ChangeWatchOptions {
  /** A call with `null` at least this often, the safety net for anything missed (30 s). */
  resyncMs?: number;
  /** Wait before reconnecting a lost listening connection (1 s, doubling to 30 s). */
  retryMs?: number;
  onError?: (err: unknown) => void;
}

export interface ChangeWatch {
  /** Resolves once the handler has run for everything notified so far. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs `onChange` for each notification on `channel` from any replica sharing the database, with
 * the notification's payload, and with `null` when changes may have been missed: once listening
 * starts or resumes after a lost connection, and every `resyncMs` as a safety net. Calls never
 * overlap; notifications arriving during a call are coalesced into one more call (with the last
 * payload, or `null` when they differ), so a burst of changes costs one reload.
 *
 * @example
 * const watch = await watchChanges(database, 'ml_registry', async () => registry.invalidate());
 * app.addHook('onClose', () => watch.close());
 */
export async function watchChanges(
  database: { openSession(): Promise<DatabaseSession> },
  channel: string,
  onChange: (payload: string | null) => unknown,
  options: ChangeWatchOptions = {},
): Promise<ChangeWatch> {
  checkChannel(channel);
  const resyncMs = options.resyncMs ?? 30_000;
  const baseRetry = options.retryMs ?? 1000;
  let closed = false;
  let session: DatabaseSession | null = null;
  let retryTimer: NodeJS.Timeout | null = null;

  // One call at a time; `pending` holds what arrived meanwhile (undefined: nothing).
  let running: Promise<void> | null = null;
  let pending: string | null | undefined;
  const run = (payload: string | null): void => {
    if (closed) return;
    if (running) {
      pending = pending === undefined || pending === payload ? payload : null;
      return;
    }
    running = (async () => {
      let next: string | null | undefined = payload;
      while (next !== undefined && !closed) {
        pending = undefined;
        try {
          await onChange(next);
        } catch (err) {
          options.onError?.(err);
        }
        next = pending;
      }
    })().finally(() => {
      running = null;
    });
  };

  const connect = async (retry: number): Promise<void> => {
    retryTimer = null;
    if (closed) return;
    try {
      const s = await database.openSession();
      if (closed) {
        await s.close();
        return;
      }
      s.onNotification((ch, payload) => {
        if (ch === channel) run(payload);
      });
      s.onEnd((err) => {
        if (session !== s) return;
        session = null;
        options.onError?.(err);
        schedule(baseRetry);
      });
      await s.query(`LISTEN ${channel}`);
      session = s;
      run(null);
    } catch (err) {
      options.onError?.(err);
      schedule(Math.min(30_000, retry * 2));
    }
  };
  const schedule = (retry: number) => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => void connect(retry), retry);
    retryTimer.unref();
  };

  await connect(baseRetry);
  const resync = setInterval(() => run(null), resyncMs);
  resync.unref();

  return {
    async idle() {
      while (running) await running;
    },
    async close() {
      closed = true;
      clearInterval(resync);
      if (retryTimer) clearTimeout(retryTimer);
      const s = session;
      session = null;
      // Closing the session ends the LISTEN (on the embedded engine it drops the handler only,
      // which leaves other watchers of the same channel in the process listening).
      await s?.close();
      while (running) await running;
    },
  };
}
