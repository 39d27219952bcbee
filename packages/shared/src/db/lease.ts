import { type QueryExecutorProvider, sql } from 'kysely';
import type { DatabaseSession } from './database.js';

/** Thrown by `fence()` when this replica no longer holds the lease it acted under. */
export class LeaseLostError extends Error {
  constructor(name: string) {
    super(`the "${name}" lease passed to another replica; this work is left to it`);
    this.name = 'LeaseLostError';
  }
}

/** First key of the two-key advisory locks taken for leases ("opsl"); the second is the name's hash. */
const LOCK_SPACE = 0x6f70736c;

export interface Lease {
  readonly name: string;
  /** True while this replica holds the lease. */
  readonly held: boolean;
  /** This holding's term (each new holder gets a higher one); 0 while not held. */
  readonly term: number;
  /**
   * Inside a transaction: locks the lease's row and throws {@link LeaseLostError} unless this
   * replica still holds the current term. A new holder's term is taken on that same row, so it
   * waits for a fenced transaction in flight and then sees everything it wrote.
   */
  fence(trx: QueryExecutorProvider): Promise<void>;
  /** Who holds the lease now, as recorded by the last holder (`null` before anyone took it). */
  holder(): Promise<{ holder: string; term: number; since: Date } | null>;
  /** Gives the lease up (another replica takes it within its retry interval) and stops trying. */
  close(): Promise<void>;
}

export interface LeaseOptions {
  /** This replica's name in the lease table, e.g. `host:port` or an instance id. */
  holder: string;
  /** How often a replica without the lease tries to take it (1 s). */
  retryMs?: number;
  /** How often the holder checks that its connection still lives (1 s). */
  checkMs?: number;
  /** Runs once the lease is taken, before `held` turns true; a failure gives the lease back. */
  onAcquired?: (term: number) => unknown;
  onLost?: (reason: string) => unknown;
  onError?: (err: unknown) => void;
}

async function ensureTable(db: QueryExecutorProvider): Promise<void> {
  await sql`create table if not exists opsmesh_leases (
    name text primary key,
    term bigint not null,
    holder text not null,
    acquired_at timestamptz not null default now()
  )`
    .execute(db)
    .catch(async (err) => {
      // Two replicas creating it at once: the loser sees a unique violation; re-check.
      const exists = await sql`select to_regclass('opsmesh_leases') as t`.execute(db);
      if (!(exists.rows[0] as { t: unknown } | undefined)?.t) throw err;
    });
}

/**
 * Elects one replica to do work that must happen once (rule evaluation, notification delivery):
 * a PostgreSQL session advisory lock held on a connection of its own. When the holder dies its
 * connection closes, the server releases the lock, and another replica takes it within `retryMs`.
 * Every holding gets a term, and work written under the lease is fenced by it (`fence(trx)`), so
 * a holder that lost its connection cannot commit after its successor started. On the embedded
 * engine (one process per data directory) the one process always holds it.
 *
 * @example
 * const lease = await startLease(database, 'monitoring-evaluator', { holder: instanceUrl, onAcquired: reload });
 * if (lease.held) await db.transaction().execute(async (trx) => { await lease.fence(trx); ... });
 */
export async function startLease(
  database: { db: QueryExecutorProvider; openSession(): Promise<DatabaseSession> },
  name: string,
  options: LeaseOptions,
): Promise<Lease> {
  const retryMs = options.retryMs ?? 1000;
  const checkMs = options.checkMs ?? 1000;
  await ensureTable(database.db);
  let session: DatabaseSession | null = null;
  let held = false;
  let term = 0;
  let closed = false;
  let lostAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let turn: Promise<void> = Promise.resolve();

  const lockArgs = [LOCK_SPACE, name] as const;
  const dropSession = async () => {
    const s = session;
    session = null;
    await s?.close();
  };

  const lose = async (reason: string) => {
    if (!held) return;
    held = false;
    term = 0;
    lostAt = Date.now();
    await dropSession();
    try {
      await options.onLost?.(reason);
    } catch (err) {
      options.onError?.(err);
    }
  };

  const attempt = async () => {
    // A holder that just lost its connection steps back for a retry interval: the others, whose
    // connections work, go first.
    if (closed || held || Date.now() - lostAt < retryMs) return;
    try {
      if (!session) {
        const s = await database.openSession();
        s.onEnd((err) => {
          if (session !== s) return;
          session = null;
          options.onError?.(err);
          void lose('the database connection holding the lease ended');
        });
        session = s;
      }
      const [row] = await session.query<{ ok: boolean }>(
        'select pg_try_advisory_lock($1::int, hashtext($2)) as ok',
        lockArgs,
      );
      if (!row?.ok) return;
      const [taken] = await session.query<{ term: string | number }>(
        `insert into opsmesh_leases (name, term, holder) values ($1, 1, $2)
         on conflict (name) do update set term = opsmesh_leases.term + 1, holder = $2, acquired_at = now()
         returning term`,
        [name, options.holder],
      );
      const next = Number(taken?.term);
      try {
        await options.onAcquired?.(next);
      } catch (err) {
        options.onError?.(err);
        await session.query('select pg_advisory_unlock($1::int, hashtext($2))', lockArgs).catch(() => {});
        return;
      }
      term = next;
      held = true;
    } catch (err) {
      options.onError?.(err);
      await dropSession();
    }
  };

  const check = async () => {
    if (closed || !held) return;
    try {
      await session?.query('select 1');
    } catch (err) {
      options.onError?.(err);
      await lose('the database connection holding the lease failed');
    }
  };

  const tick = () => {
    timer = null;
    if (closed) return;
    turn = turn.then(() => (held ? check() : attempt()));
    void turn.then(() => {
      if (!closed) {
        timer = setTimeout(tick, held ? checkMs : retryMs);
        timer.unref();
      }
    });
  };

  await attempt();
  timer = setTimeout(tick, held ? checkMs : retryMs);
  timer.unref();

  return {
    name,
    get held() {
      return held;
    },
    get term() {
      return term;
    },
    async fence(trx) {
      const mine = term;
      const result = await sql<{
        term: string | number;
      }>`select term from opsmesh_leases where name = ${name} for share`.execute(trx);
      const current = Number(result.rows[0]?.term ?? 0);
      if (!held || mine === 0 || current !== mine) throw new LeaseLostError(name);
    },
    async holder() {
      const result = await sql<{
        holder: string;
        term: string | number;
        acquired_at: Date;
      }>`select holder, term, acquired_at from opsmesh_leases where name = ${name}`.execute(database.db);
      const row = result.rows[0];
      return row ? { holder: row.holder, term: Number(row.term), since: new Date(row.acquired_at) } : null;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await turn;
      if (held && session) {
        await session.query('select pg_advisory_unlock($1::int, hashtext($2))', lockArgs).catch(() => {});
      }
      held = false;
      term = 0;
      await dropSession();
    },
  };
}
