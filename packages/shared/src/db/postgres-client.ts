import pg from 'pg';
import type { DatabaseSession } from './database.js';

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

/** A pool of connections to `url` that prepare each query text once per connection. */
export function postgresPool(url: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: url, max, Client: PreparingClient });
}

/** A session on a connection of its own (PostgreSQL). */
export async function postgresSession(url: string): Promise<DatabaseSession> {
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
