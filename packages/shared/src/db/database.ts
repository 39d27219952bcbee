import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { lockDataDir } from './data-dir-lock.js';
import { openEmbeddedEngine } from './embedded-engine.js';
import { PGliteDialect } from './pglite-dialect.js';

/**
 * One connection of its own, outside the pool: what session-scoped features need (LISTEN, a
 * session advisory lock held for as long as the connection lives). On the embedded engine, which
 * has a single session, it shares that session.
 */
export interface DatabaseSession {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** NOTIFY messages that reach this session (after `LISTEN channel`). */
  onNotification(handler: (channel: string, payload: string) => void): void;
  /** Called once when the connection ends without `close()` (server restart, network loss). */
  onEnd(handler: (err: Error) => void): void;
  close(): Promise<void>;
}

export interface Database<DB> {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  ping(): Promise<void>;
  /** A dedicated session; see {@link DatabaseSession}. */
  openSession(): Promise<DatabaseSession>;
  close(): Promise<void>;
}

/**
 * The service's own database: PostgreSQL when `url` is set, else embedded PGlite with its data under
 * `<dataDir>/<service>/pgdata` (or in memory when `dataDir` is `memory://`).
 *
 * @example
 * const database = await createDatabase<AuthDB>({ service: 'auth', dataDir: './data' });
 * await migrate(database.db, new URL('../migrations', import.meta.url));
 */
export async function createDatabase<DB>(options: {
  service: string;
  dataDir: string;
  url?: string | undefined;
  poolSize?: number;
}): Promise<Database<DB>> {
  if (options.url) {
    // Loaded only here: a service on the embedded engine never holds the driver (2.6 MB of heap).
    const { postgresPool, postgresSession } = await import('./postgres-client.js');
    const pool = postgresPool(options.url, options.poolSize ?? 10);
    // An idle connection the server ends (a restart, a forced drop racing close) is reported on the
    // pool, which discards it and connects anew on the next query; unheard, the event would end the
    // process.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const url = options.url;
    return {
      db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      openSession: () => postgresSession(url),
      close: () => db.destroy(),
    };
  }
  const dir =
    options.dataDir === 'memory://' ? 'memory://' : join(options.dataDir, options.service, 'pgdata');
  if (dir !== 'memory://') mkdirSync(dirname(dir), { recursive: true });
  const unlock = dir === 'memory://' ? () => {} : lockDataDir(dir);
  const engine = await openEmbeddedEngine(dir).catch((err) => {
    unlock();
    throw err;
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(engine) });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    // The engine has one session: queries go through the dialect's lock, so they never land inside
    // another caller's open transaction.
    openSession: async () => {
      const unsubscribes: (() => void)[] = [];
      return {
        query: async <R>(text: string, params?: readonly unknown[]) =>
          (await db.executeQuery<R>(CompiledQuery.raw(text, [...(params ?? [])]))).rows as R[],
        onNotification: (handler) => {
          unsubscribes.push(engine.onNotification(handler));
        },
        onEnd: () => {},
        close: async () => {
          for (const u of unsubscribes.splice(0)) u();
        },
      };
    },
    close: async () => {
      await db.destroy();
      unlock();
    },
  };
}
