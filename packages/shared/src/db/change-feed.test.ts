import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { notifyChange, watchChanges } from './change-feed.js';
import { createDatabase, type Database } from './database.js';

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`change feed on ${target.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    /** Two replicas of a service over one database (one and the same engine when embedded). */
    async function replicas(): Promise<[Database<unknown>, Database<unknown>]> {
      const t = await target.create();
      const a = await createDatabase<unknown>({ service: 'feed', dataDir: t.dataDir, url: t.url });
      const b = t.url
        ? await createDatabase<unknown>({ service: 'feed', dataDir: t.dataDir, url: t.url })
        : a;
      cleanups.push(async () => {
        await a.close();
        if (b !== a) await b.close();
        await t.drop();
      });
      return [a, b];
    }

    it('delivers a committed change to a watcher on another replica, and nothing of a rollback', async () => {
      const [a, b] = await replicas();
      const seen: (string | null)[] = [];
      const watch = await watchChanges(b, 'feed_test', (p) => {
        seen.push(p);
      });
      cleanups.push(() => watch.close());
      // Listening starts with a resync call.
      expect((await eventually(() => seen.length === 1, Boolean, 3000)).value).toBe(true);
      expect(seen).toEqual([null]);

      await a.db
        .transaction()
        .execute(async (trx) => {
          await notifyChange(trx, 'feed_test', 'rolled-back');
          throw new Error('abort');
        })
        .catch(() => {});
      await a.db.transaction().execute(async (trx) => {
        await notifyChange(trx, 'feed_test', 'alias');
        // Not delivered before the commit.
        await sql`select pg_sleep(0.1)`.execute(trx);
        expect(seen).toEqual([null]);
      });
      expect((await eventually(() => seen.length === 2, Boolean, 3000)).value).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([null, 'alias']);
    });

    it('coalesces a burst into one more call and never overlaps calls', async () => {
      const [a, b] = await replicas();
      let active = 0;
      let overlapped = false;
      const seen: (string | null)[] = [];
      const watch = await watchChanges(b, 'feed_burst', async (p) => {
        active++;
        if (active > 1) overlapped = true;
        seen.push(p);
        await new Promise((r) => setTimeout(r, 150));
        active--;
      });
      cleanups.push(() => watch.close());
      await watch.idle();
      for (let i = 0; i < 10; i++) await notifyChange(a.db, 'feed_burst', i < 5 ? 'x' : 'y');
      await new Promise((r) => setTimeout(r, 300));
      await watch.idle();
      expect(overlapped).toBe(false);
      // The resync, the first change, then one call for the rest (payloads differ: null).
      expect(seen[0]).toBeNull();
      expect(seen.length).toBeLessThanOrEqual(4);
      expect(seen.at(-1)).toBeNull();
    });

    it('resyncs periodically, the safety net for anything missed', async () => {
      const [, b] = await replicas();
      let calls = 0;
      const watch = await watchChanges(
        b,
        'feed_resync',
        () => {
          calls++;
        },
        { resyncMs: 100 },
      );
      cleanups.push(() => watch.close());
      expect((await eventually(() => calls >= 4, Boolean, 2000)).value).toBe(true);
    });

    it('refuses a channel that is not a plain identifier', async () => {
      const [a] = await replicas();
      await expect(notifyChange(a.db, 'bad channel; drop table x', '')).rejects.toThrow(
        /lower-case identifier/,
      );
      await expect(watchChanges(a, 'Bad-Channel', () => {})).rejects.toThrow(/lower-case identifier/);
    });

    it.runIf(target.name === 'postgres')(
      'listens again after its connection is cut, with a resync call for what it missed',
      async () => {
        const [a, b] = await replicas();
        const seen: (string | null)[] = [];
        const errors: unknown[] = [];
        const watch = await watchChanges(b, 'feed_cut', (p) => seen.push(p), {
          retryMs: 50,
          onError: (e) => errors.push(e),
        });
        cleanups.push(() => watch.close());
        await watch.idle();
        // Cut the listening connection from the server side, as a restart or failover would.
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and query like 'LISTEN feed_cut%'`.execute(a.db);
        expect(
          (await eventually(() => seen.filter((p) => p === null).length >= 2, Boolean, 3000)).value,
        ).toBe(true);
        expect(errors.length).toBeGreaterThan(0);
        await notifyChange(a.db, 'feed_cut', 'after');
        expect((await eventually(() => seen.includes('after'), Boolean, 3000)).value).toBe(true);
      },
    );
  });
}
