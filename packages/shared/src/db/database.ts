import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openEmbeddedEngine } from './embedded-engine.js';
import { PGliteDialect } from './pglite-dialect.js';

// PostgreSQL returns int8 and numeric as strings; counts and ids here fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export interface Database<DB> {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  ping(): Promise<void>;
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
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const engine = await openEmbeddedEngine(
    options.dataDir === 'memory://' ? 'memory://' : join(options.dataDir, options.service, 'pgdata'),
  );
  const db = new Kysely<DB>({ dialect: new PGliteDialect(engine) });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
