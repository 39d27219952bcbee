import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { testDatabaseTargets } from '../testing/test-databases.js';
import { createDatabase, type Database } from './database.js';
import { type Lease, LeaseLostError, startLease } from './lease.js';

interface DB {
  work: { by: string; term: number };
}

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`lease on ${target.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    async function database(url: string | undefined, dataDir: string): Promise<Database<DB>> {
      const d = await createDatabase<DB>({ service: 'lease', dataDir, url });
      cleanups.push(() => d.close());
      return d;
    }

    async function lease(
      d: Database<DB>,
      holder: string,
      events: string[] = [],
      retryMs = 50,
    ): Promise<Lease> {
      const l = await startLease(d, 'evaluator', {
        holder,
        retryMs,
        checkMs: 50,
        onAcquired: (term) => {
          events.push(`acquired ${term}`);
        },
        onLost: (reason) => {
          events.push(`lost: ${reason}`);
        },
      });
      cleanups.push(() => l.close());
      return l;
    }

    it('is held at once by a lone replica, and fences its writes by term', async () => {
      const t = await target.create();
      cleanups.push(t.drop);
      const d = await database(t.url, t.dataDir);
      await sql`create table work (by text not null, term int not null)`.execute(d.db);
      const events: string[] = [];
      const l = await lease(d, 'replica-a', events);
      expect(l.held).toBe(true);
      expect(l.term).toBe(1);
      expect(events).toEqual(['acquired 1']);
      await d.db.transaction().execute(async (trx) => {
        await l.fence(trx);
        await trx.insertInto('work').values({ by: 'replica-a', term: l.term }).execute();
      });
      expect(await l.holder()).toMatchObject({ holder: 'replica-a', term: 1 });
      await l.close();
      expect(l.held).toBe(false);
      await expect(d.db.transaction().execute((trx) => l.fence(trx))).rejects.toBeInstanceOf(LeaseLostError);
    });

    it.runIf(target.name === 'postgres')(
      'elects one of two replicas; the other takes over when the holder leaves, and the old one is fenced out',
      async () => {
        const t = await target.create();
        cleanups.push(t.drop);
        const a = await database(t.url, t.dataDir);
        const b = await database(t.url, t.dataDir);
        const eventsA: string[] = [];
        const eventsB: string[] = [];
        const la = await lease(a, 'replica-a', eventsA);
        const lb = await lease(b, 'replica-b', eventsB);
        await new Promise((r) => setTimeout(r, 200));
        expect(la.held).toBe(true);
        expect(lb.held).toBe(false);
        expect(eventsB).toEqual([]);

        await la.close();
        expect((await eventually(() => lb.held, Boolean, 5000)).value).toBe(true);
        expect(lb.term).toBe(2);
        expect(eventsB).toEqual(['acquired 2']);
        expect(await lb.holder()).toMatchObject({ holder: 'replica-b', term: 2 });
      },
    );

    it.runIf(target.name === 'postgres')(
      'a holder whose connection dies loses the lease; the survivor takes it and the loser cannot commit under its old term',
      async () => {
        const t = await target.create();
        cleanups.push(t.drop);
        const a = await database(t.url, t.dataDir);
        const b = await database(t.url, t.dataDir);
        await sql`create table work (by text not null, term int not null)`.execute(a.db);
        const eventsA: string[] = [];
        // The old holder's process lives on but waits long before trying again, as a host cut off
        // from the database would: the survivor is the one to take over.
        const la = await lease(a, 'replica-a', eventsA, 60_000);
        const lb = await lease(b, 'replica-b');
        expect(la.held).toBe(true);
        const oldTerm = la.term;

        // A fenced transaction of the old holder is in flight while its lease connection dies.
        let release!: () => void;
        const gate = new Promise<void>((r) => {
          release = r;
        });
        let fenced!: () => void;
        const fencedYet = new Promise<void>((r) => {
          fenced = r;
        });
        const inFlight = a.db.transaction().execute(async (trx) => {
          await la.fence(trx);
          fenced();
          await gate;
          await trx.insertInto('work').values({ by: 'replica-a', term: oldTerm }).execute();
        });
        await fencedYet;
        // Kill the connection holding the advisory lock (as a crash of the holder's host would).
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid in (
            select pid from pg_locks where locktype = 'advisory' and granted)`.execute(b.db);
        expect((await eventually(() => eventsA.some((e) => e.startsWith('lost')), Boolean, 5000)).value).toBe(
          true,
        );
        expect(la.held).toBe(false);
        // The successor cannot start its term while the old holder's fenced write is open...
        await new Promise((r) => setTimeout(r, 200));
        expect(lb.held).toBe(false);
        release();
        await inFlight;
        // ...then it does, and sees that write.
        expect((await eventually(() => lb.held, Boolean, 5000)).value).toBe(true);
        expect(lb.term).toBe(oldTerm + 1);
        const rows = await b.db.selectFrom('work').selectAll().execute();
        expect(rows).toEqual([{ by: 'replica-a', term: oldTerm }]);
        // A late write under the old term is refused.
        await expect(
          a.db.transaction().execute(async (trx) => {
            await la.fence(trx);
            await trx.insertInto('work').values({ by: 'replica-a', term: oldTerm }).execute();
          }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(la.held).toBe(false);
      },
    );
  });
}
