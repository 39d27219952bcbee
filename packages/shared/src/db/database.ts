import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { openEmbeddedEngine } from './embedded-engine.js';
import { PGliteDialect } from './pglite-dialect.js';

// PostgreSQL returns int8 and numeric as strings; counts and ids here fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** Named statements per process: the queries a service runs are a few dozen texts. */
const MAX_NAMED = 256;
const statementNames = new Map<string, string>();
let namesIssued = 0;

/**
 * A client that runs each parameterised query text as a named prepared statement: PostgreSQL parses
 * it once per connection and then only binds and executes it. Beyond the first 256 texts, queries
 * go unnamed as before. A statement whose result shape changed under it (a column added by a
 * migration while the service runs, 0A000) is run again unnamed, and the text gets a new name so
 * every connection prepares it afresh.
 */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: forwards pg's overloaded signature unchanged
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && !callback) {
      let name = statementNames.get(config);
      if (!name && statementNames.size < MAX_NAMED) {
        name = `kysely_${++namesIssued}`;
        statementNames.set(config, name);
      }
      if (name) {
        return super.query({ name, text: config, values }).catch((error: { code?: string }) => {
          if (error.code !== '0A000') throw error;
          if (statementNames.get(config) === name) statementNames.delete(config);
          // Inside a transaction the retry fails too (the transaction is aborted): report the cause.
          return super.query(config, values).catch(() => {
            throw error;
          });
        });
      }
    }
    return super.query(config, values, callback);
  }
}

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

/** A session on a connection of its own (PostgreSQL). */
async function postgresSession(url: string): Promise<DatabaseSession> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  let closing = false;
  const endHandlers: ((err: Error) => void)[] = [];
  let ended = false;
  const end = (err: Error) => {
    if (ended || closing) return;
    ended = true;
    for (const h of endHandlers) h(err);
  };
  client.on('error', end);
  client.on('end', () => end(new Error('the database connection ended')));
  await client.connect();
  return {
    query: async <R>(text: string, params?: readonly unknown[]) =>
      (await client.query(text, params as unknown[] | undefined)).rows as R[],
    onNotification: (handler) => {
      client.on('notification', (msg) => handler(msg.channel, msg.payload ?? ''));
    },
    onEnd: (handler) => {
      endHandlers.push(handler);
    },
    close: async () => {
      closing = true;
      await client.end().catch(() => {});
    },
  };
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
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      Client: PreparingClient,
    });
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
