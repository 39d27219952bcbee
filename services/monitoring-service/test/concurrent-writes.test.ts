import { createDatabase, migrate } from '@opsmesh/shared';
import {
  createTestIdentity,
  eventually,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringDB } from '../src/models/db.js';
import { createRuleRepository } from '../src/models/rule-repository.js';
import { defaultRules } from '../src/services/alerting/default-rules.js';
import type { AlertRule } from '../src/services/alerting/rule-model.js';
import { type Harness, MIGRATIONS, replicaHarness, testClock } from './helpers/harness.js';

/**
 * Two monitoring replicas writing to one PostgreSQL at the same moment: the rule and silence caps
 * hold exactly, and a replica rewriting stored rules never overwrites a newer edit.
 */

const [, postgres] = await testDatabaseTargets();
const budget = { eventLoopLagSeconds: 0.1, residentMemoryBytes: 1e9 };
const DEFAULT_RULES = defaultRules({ sloObjective: 0.99 }).length;

describe.skipIf(postgres!.skipReason)('concurrent writes from two monitoring replicas', () => {
  let identity: TestIdentity;
  let url: string;
  let drop: () => Promise<void>;
  let replicas: Harness[] = [];

  beforeAll(async () => {
    identity = await createTestIdentity();
    const database = await postgres!.create();
    url = database.url!;
    drop = database.drop;
    const clock = testClock();
    const open = () =>
      replicaHarness(url, {
        services: {},
        now: clock.now,
        identity,
        env: { RULES_MAX: String(DEFAULT_RULES + 5), SILENCES_MAX: '10' },
      });
    replicas = [await open(), await open()];
  });
  afterAll(async () => {
    for (const h of replicas) await h.close();
    await identity?.close();
    await drop?.();
  });

  const post = async (i: number, url: string, payload: object) => {
    const h = replicas[i % 2]!;
    return h.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${await h.token(['admin'])}` },
      payload,
    });
  };
  const statuses = (answers: { statusCode: number }[]) => {
    const by: Record<number, number> = {};
    for (const r of answers) by[r.statusCode] = (by[r.statusCode] ?? 0) + 1;
    return by;
  };

  it('lets exactly SILENCES_MAX of 30 silences created at once through, the rest 409 naming the limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        post(i, '/silences', { matchers: [`alertname="Burst${i}"`], duration: '1h', comment: 'burst' }),
      ),
    );
    expect(statuses(answers)).toEqual({ 201: 10, 409: 20 });
    for (const r of answers.filter((a) => a.statusCode === 409)) {
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().detail).toContain('SILENCES_MAX');
    }
  });

  it('lets exactly RULES_MAX rules exist when 20 are created at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(i, '/rules', { name: `Burst${i}`, expr: 'up == 0' })),
    );
    expect(statuses(answers)).toEqual({ 201: 5, 409: 15 });
    for (const r of answers.filter((a) => a.statusCode === 409))
      expect(r.json().detail).toContain('RULES_MAX');
    const { n } = await replicas[0]!.database.db
      .selectFrom('monitoring_rules')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(DEFAULT_RULES + 5);
  });

  it('rewrites a stored rule of the earlier shape only over the spec it read, never over a newer edit', async () => {
    const a = await createDatabase<MonitoringDB>({ service: 'monitoring', dataDir: 'memory://', url });
    const b = await createDatabase<MonitoringDB>({ service: 'monitoring', dataDir: 'memory://', url });
    try {
      await migrate(a.db, MIGRATIONS);
      const at = '2026-01-01T00:00:00.000Z';
      await a.db
        .insertInto('monitoring_rules')
        .values({
          id: 'rul_legacyrace',
          name: 'LegacyRace',
          spec: JSON.stringify({
            name: 'LegacyRace',
            expr: { kind: 'series', selector: 'up', function: 'value' },
            op: '==',
            threshold: 0,
            for: '0s',
            severity: 'critical',
            labels: {},
            annotations: {},
            enabled: true,
          }),
          builtin: false,
          created_at: at,
          updated_at: at,
        })
        .execute();
      const edited: AlertRule = {
        id: 'rul_legacyrace',
        name: 'LegacyRace',
        expr: 'up < 1',
        for: '1m',
        keepFiringFor: '0s',
        severity: 'critical',
        labels: {},
        annotations: { summary: 'edited on the other replica' },
        enabled: true,
        builtin: false,
        createdAt: at,
        updatedAt: '2026-01-02T00:00:00.000Z',
      };
      // Replica b edits the rule and holds its transaction open while replica a reads the old
      // shape and tries to rewrite it; then b commits.
      let upgrading: Promise<number> | undefined;
      await b.db.transaction().execute(async (trx) => {
        await createRuleRepository(trx, budget).update(edited);
        upgrading = createRuleRepository(a.db, budget).upgradeStored();
        const waiting = await eventually(
          async () =>
            (
              await sql<{ n: string }>`select count(*) as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock'`.execute(b.db)
            ).rows[0]!.n,
          (n) => Number(n) > 0,
          10_000,
        );
        // a's rewrite is waiting on b's row lock: it read the old shape before b commits.
        expect(Number(waiting.value)).toBe(1);
      });
      expect(await upgrading).toBe(0);
      const stored = await createRuleRepository(a.db, budget).get('rul_legacyrace');
      expect(stored).toMatchObject({
        expr: 'up < 1',
        for: '1m',
        annotations: { summary: 'edited on the other replica' },
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
