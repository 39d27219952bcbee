import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';

export interface MigrationLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const NAME = /^(\d{3,})_[a-z0-9_-]+\.sql$/;

/** The key of the advisory lock that keeps two instances from migrating at once. */
const LOCK_KEY = 0x6f70736d; // "opsm"

/**
 * Applies the plain-SQL files of `dir` (`001_init.sql`, `002_...`) in order, each recorded in
 * `schema_migrations` with its checksum, inside one transaction holding an advisory lock, so two
 * instances starting together apply each file once.
 *
 * @example
 * await migrate(db, new URL('../migrations', import.meta.url), app.log);
 */
export async function migrate<DB>(
  kysely: Kysely<DB>,
  dir: string | URL,
  logger?: MigrationLogger,
): Promise<{ applied: string[] }> {
  const db = kysely as unknown as Kysely<Record<string, never>>;
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  const files = readdirSync(path)
    .filter((f) => NAME.test(f))
    .sort();
  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    // Created under the lock: two instances creating it at once would have the loser fail on a
    // unique index of the catalogue, IF NOT EXISTS notwithstanding.
    await sql`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    const done = await sql<{
      version: string;
      checksum: string;
    }>`select version, checksum from schema_migrations`.execute(trx);
    const known = new Map(done.rows.map((r) => [r.version, r.checksum]));
    for (const file of files) {
      const version = NAME.exec(file)![1]!;
      const text = readFileSync(join(path, file), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const previous = known.get(version);
      if (previous !== undefined) {
        if (previous !== checksum) {
          logger?.warn(
            { migration: file },
            'migration changed after it was applied; write a new migration instead',
          );
        }
        continue;
      }
      await sql.raw(text).execute(trx);
      await sql`insert into schema_migrations (version, name, checksum) values (${version}, ${file}, ${checksum})`.execute(
        trx,
      );
      applied.push(file);
      logger?.info({ migration: file }, 'migration applied');
    }
  });
  return { applied };
}
