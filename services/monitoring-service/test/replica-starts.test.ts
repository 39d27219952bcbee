import type { Database } from '@opsmesh/shared';
import { replicaDatabases, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringDB } from '../src/models/db.js';
import { createRuleRepository } from '../src/models/rule-repository.js';
import { createTargetRepository } from '../src/models/target-repository.js';
import { defaultRules } from '../src/services/alerting/default-rules.js';

/**
 * Monitoring replicas starting at the same moment on one PostgreSQL, many times over: the start
 * steps that write (the replica list and its watch, the default rule pack) leave what one replica
 * alone would have left.
 */

const [, postgres] = await testDatabaseTargets();
const REPLICAS = 4;
const ROUNDS = 20;
const budget = { eventLoopLagSeconds: 0.2, residentMemoryBytes: 512 * 1024 * 1024 };

describe.skipIf(postgres!.skipReason)('monitoring replicas starting together', () => {
  let databases: Database<MonitoringDB>[] = [];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ databases, close } = await replicaDatabases<MonitoringDB>(
      REPLICAS,
      new URL('../migrations', import.meta.url),
    ));
  });
  afterAll(() => close?.());

  it('starts one watch that every replica joins, and installs the default rules once', async () => {
    const at = new Date().toISOString();
    const pack = defaultRules({ sloObjective: 0.999 }).map((r) => ({
      ...r,
      builtin: true,
      createdAt: at,
      updatedAt: at,
    }));
    const db = databases[0]!.db;
    for (let round = 0; round < ROUNDS; round++) {
      for (const table of ['monitoring_replicas', 'monitoring_meta', 'monitoring_rules'] as const)
        await db.deleteFrom(table).execute();
      const now = Date.now();
      const started = await Promise.all(
        databases.map(async (d, i) => {
          const joined = await createTargetRepository(d.db).join(`replica-${i}`, now + i, 10_000);
          const installed = await createRuleRepository(d.db, budget).installDefaultsOnce(pack);
          return { ...joined, installed };
        }),
      );
      expect(
        started.filter((s) => s.fresh),
        `round ${round}`,
      ).toHaveLength(1);
      expect(new Set(started.map((s) => s.startedAt)).size, `round ${round}`).toBe(1);
      expect(
        started.filter((s) => s.installed),
        `round ${round}`,
      ).toHaveLength(1);
      const rules = await db.selectFrom('monitoring_rules').select('id').execute();
      expect(rules, `round ${round}`).toHaveLength(pack.length);
      const replicas = await db.selectFrom('monitoring_replicas').select('instance').execute();
      expect(replicas, `round ${round}`).toHaveLength(REPLICAS);
    }
  });

  it("records every replica's scrape results at the same moment, whatever order each lists its targets in", async () => {
    // Each replica lists targets in the order it first saw them, so two replicas' lists differ;
    // their upserts of the same rows run concurrently every scrape cycle.
    const targets = Array.from({ length: 60 }, (_, i) => ({
      url: `http://10.0.0.${i}:8080`,
      service: `svc-${i % 5}`,
      instance: `10.0.0.${i}:8080`,
      up: i % 3 !== 0,
    }));
    const shuffled = (seed: number) =>
      targets
        .map((t, i) => ({ t, k: (i * 7919 + seed * 104_729) % 9973 }))
        .sort((a, b) => a.k - b.k)
        .map(({ t }) => t);
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.allSettled(
        databases.map((d, i) =>
          createTargetRepository(d.db).record(
            `replica-${i}`,
            Date.now(),
            i % 2 ? shuffled(round + i) : [...targets].reverse(),
          ),
        ),
      );
      const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(
        failed.map((f) => String(f.reason)),
        `round ${round}`,
      ).toEqual([]);
    }
  });
});
