import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';

export const POSTGRES_ADMIN_URL =
  process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** `DATABASE_URL` for PostgreSQL, undefined for PGlite. */
  url: string | undefined;
  /** `OPSMESH_DATA_DIR` to hand the service. */
  dataDir: string;
  drop(): Promise<void>;
}

export interface TestDatabaseTarget {
  name: 'pglite' | 'postgres';
  /** Null when the target runs; otherwise why it is skipped. */
  skipReason: string | null;
  create(): Promise<TestDatabase>;
}

let postgresReachable: Promise<boolean> | null = null;

async function canReachPostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Makes a uniquely named PostgreSQL database for one test file, dropped afterwards. */
export async function createPostgresDatabase(prefix = 'opsmesh_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir: 'memory://',
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * The databases integration tests run against: PGlite always; PostgreSQL on 127.0.0.1:5432 when
 * reachable. In CI (`CI=true`) an unreachable PostgreSQL fails the run; elsewhere it is skipped with
 * a printed notice.
 *
 * @example
 * for (const target of await testDatabaseTargets()) describe.skipIf(target.skipReason)(target.name, () => {...})
 */
export async function testDatabaseTargets(): Promise<TestDatabaseTarget[]> {
  postgresReachable ??= canReachPostgres();
  const reachable = await postgresReachable;
  const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
  if (!reachable && inCi) {
    throw new Error(`PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable, and CI requires it`);
  }
  if (!reachable) {
    process.stderr.write(
      `notice: PostgreSQL at ${POSTGRES_ADMIN_URL} is unreachable; its tests are skipped\n`,
    );
  }
  return [
    {
      name: 'pglite',
      skipReason: null,
      create: async () => ({ url: undefined, dataDir: 'memory://', drop: async () => {} }),
    },
    {
      name: 'postgres',
      skipReason: reachable ? null : 'PostgreSQL unreachable',
      create: () => createPostgresDatabase(),
    },
  ];
}

/**
 * One fresh PostgreSQL database opened by `count` replicas at once, each with its own pool as a
 * service's replica has, migrated from `migrations` by all of them together (as replicas starting
 * at the same moment migrate); `close()` closes every pool and drops the database.
 *
 * @example
 * const { databases, close } = await replicaDatabases<AuthDB>(3, new URL('../migrations', import.meta.url));
 */
export async function replicaDatabases<DB>(
  count: number,
  migrations?: string | URL,
): Promise<{ databases: Database<DB>[]; close(): Promise<void> }> {
  const target = await createPostgresDatabase('opsmesh_replicas');
  const databases = await Promise.all(
    Array.from({ length: count }, () =>
      createDatabase<DB>({ service: 'replica', dataDir: target.dataDir, url: target.url }),
    ),
  );
  const close = async () => {
    await Promise.all(databases.map((d) => d.close()));
    await target.drop();
  };
  try {
    if (migrations) await Promise.all(databases.map((d) => migrate(d.db, migrations)));
  } catch (err) {
    await close();
    throw err;
  }
  return { databases, close };
}
