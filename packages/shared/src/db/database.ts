import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
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
  let engine: PGlite;
  if (options.dataDir === 'memory://') {
    engine = await PGlite.create({ loadDataDir: await emptyClusterImage(), postgresqlconf: EMBEDDED_CONF });
  } else {
    const dir = join(options.dataDir, options.service, 'pgdata');
    mkdirSync(dir, { recursive: true });
    const fresh = !existsSync(join(dir, 'PG_VERSION'));
    engine = await PGlite.create(dir, {
      postgresqlconf: EMBEDDED_CONF,
      // Only this once: a long-running service does not keep the 40 MB image in memory.
      ...(fresh ? { loadDataDir: await emptyClusterImage(false) } : {}),
    });
  }
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

/**
 * The embedded engine serves one small service: modest buffers keep its resident memory near
 * 150 MB instead of the ~700 MB PostgreSQL's defaults cost inside WASM.
 */
const EMBEDDED_CONF = ['shared_buffers=8MB', 'work_mem=2MB', 'wal_buffers=256kB', 'maintenance_work_mem=8MB'];

let imageLoading: Promise<Blob> | null = null;

/**
 * An in-memory database starts from a cached image of a freshly initialised cluster: running
 * initdb inside WASM takes seconds, loading the image a fraction of that.
 */
function emptyClusterImage(keep = true): Promise<Blob> {
  if (!keep && !imageLoading) return loadClusterImage();
  imageLoading ??= loadClusterImage();
  return imageLoading;
}

async function loadClusterImage(): Promise<Blob> {
  {
    const file = join(tmpdir(), `opsmesh-pglite-${PGLITE_IMAGE_VERSION}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const fresh = await PGlite.create({ postgresqlconf: EMBEDDED_CONF });
    const image = await fresh.dumpDataDir('none');
    await fresh.close();
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await image.arrayBuffer()));
    renameSync(tmp, file);
    return image;
  }
}

const PGLITE_IMAGE_VERSION = '0.5.16-1';
