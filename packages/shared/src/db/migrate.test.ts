import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { replicaDatabases, testDatabaseTargets } from '../testing/test-databases.js';
import type { Database } from './database.js';
import { startLease } from './lease.js';
import { migrate } from './migrate.js';

/** Replicas starting at the same moment on one fresh PostgreSQL, many times over. */

const REPLICAS = 4;
const ROUNDS = 12;

const [, postgres] = await testDatabaseTargets();

describe.skipIf(postgres!.skipReason)('replicas starting together on one fresh PostgreSQL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-migrations-'));
  // What services' migrations hold: types, tables with sequences, indexes, functions, triggers.
  writeFileSync(
    join(dir, '001_init.sql'),
    `create type thing_state as enum ('new', 'old');
     create table things (id bigserial primary key, name text not null unique, state thing_state not null);
     create index things_state_idx on things (state);`,
  );
  writeFileSync(
    join(dir, '002_audit.sql'),
    `create table thing_audit (id bigserial primary key, name text not null);
     create function thing_audit() returns trigger language plpgsql as $$
     begin insert into thing_audit (name) values (new.name); return null; end; $$;
     create trigger things_audit after insert on things for each row execute function thing_audit();`,
  );
  writeFileSync(join(dir, '003_seed.sql'), `insert into things (name, state) values ('first', 'new');`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh database and one pool per replica, all closed and dropped after `body`. */
  async function withReplicas(body: (replicas: Database<unknown>[]) => Promise<void>) {
    const { databases, close } = await replicaDatabases<unknown>(REPLICAS);
    try {
      await body(databases);
    } finally {
      await close();
    }
  }

  it('applies each migration once when every replica migrates at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await withReplicas(async (replicas) => {
        const results = await Promise.all(replicas.map((r) => migrate(r.db, dir)));
        expect(results.flatMap((r) => r.applied).sort(), `round ${round}`).toEqual([
          '001_init.sql',
          '002_audit.sql',
          '003_seed.sql',
        ]);
        const seeded = await sql<{ n: number }>`select count(*)::int as n from things`.execute(
          replicas[0]!.db,
        );
        expect(seeded.rows[0]!.n, `round ${round}`).toBe(1);
      });
    }
  });

  it('elects one lease holder when every replica starts its lease at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await withReplicas(async (replicas) => {
        const leases = await Promise.all(
          replicas.map((r, i) => startLease(r, 'evaluator', { holder: `replica-${i}`, retryMs: 60_000 })),
        );
        try {
          expect(
            leases.filter((l) => l.held),
            `round ${round}`,
          ).toHaveLength(1);
        } finally {
          await Promise.all(leases.map((l) => l.close()));
        }
      });
    }
  });
});
