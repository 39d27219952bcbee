import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { testDatabaseTargets } from '../src/testing/test-databases.js';

const migrations = new URL('./fixtures/migrations', import.meta.url);
interface DB {
  things: { id: string; name: string; note: string | null };
}

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`database on ${target.name}`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const d of drops) await d();
    });

    it('applies migrations once, in order, recorded', async () => {
      const t = await target.create();
      drops.push(t.drop);
      const database = await createDatabase<DB>({ service: 'test', dataDir: t.dataDir, url: t.url });
      try {
        const first = await migrate(database.db, migrations);
        expect(first.applied).toEqual(['001_init.sql', '002_more.sql']);
        const second = await migrate(database.db, migrations);
        expect(second.applied).toEqual([]);
        const rows = await database.db.selectFrom('things').selectAll().execute();
        expect(rows).toEqual([{ id: 'thg_seed', name: 'seed', note: null, created_at: expect.any(Date) }]);
        const count = await sql<{ n: number }>`select thing_count() as n`.execute(database.db);
        expect(Number(count.rows[0]?.n)).toBe(1);
      } finally {
        await database.close();
      }
    });

    it('rolls back a failed transaction and serialises concurrent ones', async () => {
      const t = await target.create();
      drops.push(t.drop);
      const database = await createDatabase<DB>({ service: 'test', dataDir: t.dataDir, url: t.url });
      try {
        await migrate(database.db, migrations);
        await expect(
          database.db.transaction().execute(async (trx) => {
            await trx.insertInto('things').values({ id: 'thg_a', name: 'a', note: null }).execute();
            throw new Error('abort');
          }),
        ).rejects.toThrow('abort');
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            database.db.transaction().execute(async (trx) => {
              await trx
                .insertInto('things')
                .values({ id: `thg_${i}`, name: String(i), note: null })
                .execute();
            }),
          ),
        );
        const n = await database.db
          .selectFrom('things')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst();
        expect(Number(n?.n)).toBe(11);
      } finally {
        await database.close();
      }
    });

    it('runs repeated and many distinct parameterised queries right (prepared statements)', async () => {
      const t = await target.create();
      drops.push(t.drop);
      const database = await createDatabase<DB>({ service: 'test', dataDir: t.dataDir, url: t.url });
      try {
        await migrate(database.db, migrations);
        const byId = (id: string) =>
          database.db.selectFrom('things').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
        for (let i = 0; i < 5; i++) {
          await database.db
            .insertInto('things')
            .values({ id: `thg_r${i}`, name: `r${i}`, note: null })
            .execute();
        }
        // The same text again and again, each time with its own parameters.
        for (let i = 0; i < 5; i++)
          expect(await byId(`thg_r${i}`)).toEqual({ id: `thg_r${i}`, name: `r${i}` });
        expect(await byId('thg_none')).toBeUndefined();
        // A statement whose result shape changed under it is prepared again, not failed: on one
        // connection, which is where PostgreSQL keeps the statement it prepared.
        await database.db.connection().execute(async (db) => {
          const all = () => db.selectFrom('things').selectAll().where('id', '=', 'thg_r1').execute();
          expect(Object.keys((await all())[0]!)).not.toContain('extra');
          await sql`alter table things add column extra text`.execute(db);
          expect((await all())[0]).toMatchObject({ id: 'thg_r1', extra: null });
          expect((await all())[0]).toMatchObject({ id: 'thg_r1', extra: null });
        });
        // More distinct texts than the statement cache holds: every one still answers.
        for (let i = 0; i < 300; i++) {
          const r = await sql<{ n: number }>`select ${i}::int + ${sql.lit(i)} as n`.execute(database.db);
          expect(r.rows[0]?.n).toBe(2 * i);
        }
        expect(await byId('thg_r4')).toEqual({ id: 'thg_r4', name: 'r4' });
      } finally {
        await database.close();
      }
    });

    it('two instances migrating together apply each file once', async () => {
      if (target.name !== 'postgres') return;
      const t = await target.create();
      drops.push(t.drop);
      const a = await createDatabase<DB>({ service: 'test', dataDir: t.dataDir, url: t.url });
      const b = await createDatabase<DB>({ service: 'test', dataDir: t.dataDir, url: t.url });
      try {
        const [ra, rb] = await Promise.all([migrate(a.db, migrations), migrate(b.db, migrations)]);
        expect([...ra.applied, ...rb.applied].sort()).toEqual(['001_init.sql', '002_more.sql']);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

describe('embedded database on disk', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsmesh-db-'));
    dirs.push(dir);
    return dir;
  };

  it('starts an empty directory from the cluster image and keeps its rows across a reopen', async () => {
    const dataDir = tempDir();
    const first = await createDatabase<DB>({ service: 'test', dataDir });
    await migrate(first.db, migrations);
    await first.db.insertInto('things').values({ id: 'thg_kept', name: 'kept', note: null }).execute();
    await first.close();
    const second = await createDatabase<DB>({ service: 'test', dataDir });
    try {
      const ids = (await second.db.selectFrom('things').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );
      expect(ids).toEqual(['thg_kept', 'thg_seed']);
    } finally {
      await second.close();
    }
  });

  it('serves one process per data directory: a second opener is told to use PostgreSQL', async () => {
    const dataDir = tempDir();
    const first = await createDatabase<DB>({ service: 'test', dataDir });
    try {
      await expect(createDatabase<DB>({ service: 'test', dataDir })).rejects.toThrow(
        /already open .*DATABASE_URL/,
      );
      // Another process holding it is refused the same way.
      const lock = join(dataDir, 'test', 'pgdata.lock');
      const other = spawnSync(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          '-e',
          `import('${new URL('../src/db/database.ts', import.meta.url).pathname}').then((m) => m.createDatabase({ service: 'test', dataDir: ${JSON.stringify(dataDir)} })).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); })`,
        ],
        { encoding: 'utf8' },
      );
      expect(other.status).toBe(3);
      expect(other.stderr).toMatch(new RegExp(`already open \\(by process ${process.pid}\\).*DATABASE_URL`));
      expect(readFileSync(lock, 'utf8')).toBe(String(process.pid));
    } finally {
      await first.close();
    }
    // Closed: free again; and a lock left by a process that died is taken over.
    writeFileSync(join(dataDir, 'test', 'pgdata.lock'), '999999999');
    const again = await createDatabase<DB>({ service: 'test', dataDir });
    await again.close();
  });

  it('refuses a data directory that holds files but no database', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'test', 'pgdata'), { recursive: true });
    writeFileSync(join(dataDir, 'test', 'pgdata', 'stray.txt'), 'not a cluster');
    await expect(createDatabase<DB>({ service: 'test', dataDir })).rejects.toThrow(/no PG_VERSION/);
  });
});
