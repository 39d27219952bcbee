import {
  createTestIdentity,
  eventually,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, replicaHarness, startServer, testClock } from './helpers/harness.js';

/**
 * Two monitoring replicas over one PostgreSQL, driven step by step on a shared test clock: both
 * scrape, one evaluates and notifies (the evaluator lease), rules and silences made on either
 * reach both, and when the evaluator dies in the middle of a group the other takes over without
 * notifying twice.
 */

const [, postgres] = await testDatabaseTargets();

describe.skipIf(postgres!.skipReason)('two monitoring replicas over one PostgreSQL', () => {
  const clock = testClock();
  let identity: TestIdentity;
  let database: TestDatabase;
  let alive = true;
  const received: Array<{
    key: string | undefined;
    status: string;
    alerts: { labels: Record<string, string> }[];
  }> = [];
  let target: Awaited<ReturnType<typeof startServer>>;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  let a: Harness;
  let b: Harness;
  // The replicas' own addresses in discovery: a healthy stand-in, so only api-service goes down.
  let peer: Awaited<ReturnType<typeof startServer>>;
  let A: string;
  let B: string;

  const open = (instance: string) =>
    replicaHarness(database.url!, {
      services: { 'api-service': [target.url], 'monitoring-service': [A, B] },
      now: clock.now,
      identity,
      instance,
      leaseRetryMs: 100,
      env: {
        ALERT_RECEIVERS: `chatops=${receiver.url}/hook`,
        GROUP_WAIT: '30s',
        GROUP_INTERVAL: '5m',
        REPEAT_INTERVAL: '4h',
      },
    });

  /** One tick of every replica's periodic work, 15 s of test time later. */
  const step = async (replicas: Harness[]) => {
    clock.advance(15_000);
    for (const h of replicas) {
      await h.runtime.scraper.scrapeAll();
      await h.runtime.readiness.pollAll();
      await h.runtime.alerts.evaluate();
      if ((await h.runtime.evaluator()).here) await h.runtime.deliverer.deliverDue();
    }
  };
  const get = async (h: Harness, url: string) =>
    (await h.app.inject({ url, headers: { authorization: `Bearer ${await h.token(['viewer'])}` } })).json();
  const serviceDown = async (h: Harness) =>
    (
      (await get(h, '/alerts')).alerts as {
        alertname: string;
        state: string;
        fingerprint: string;
        silencedBy: string[];
        acknowledgedBy: string | null;
      }[]
    ).find((x) => x.alertname === 'ServiceDown' && x.fingerprint);

  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await postgres!.create();
    target = await startServer((req) => {
      if (!alive) return { status: 503, body: 'stopped' };
      if (req.url === '/metrics') return { status: 200, body: 'up_probe 1\n' };
      return { status: 200, body: '{"status":"ok"}', type: 'application/json' };
    });
    receiver = await startServer((req, body) => {
      const parsed = JSON.parse(body) as (typeof received)[number];
      received.push({ ...parsed, key: req.headers['idempotency-key'] as string | undefined });
      return { status: 200 };
    });
    peer = await startServer(() => ({ status: 200, body: 'up_probe 1\n' }));
    A = `${peer.url}/replica-a`;
    B = `${peer.url}/replica-b`;
    a = await open(A);
    b = await open(B);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await target?.close();
    await peer?.close();
    await receiver?.close();
    await database?.drop();
    await identity?.close();
  });

  it('elects one evaluator and says which on /services, on both replicas', async () => {
    expect((await a.runtime.evaluator()).here).toBe(true);
    expect((await b.runtime.evaluator()).here).toBe(false);
    for (const h of [a, b]) {
      const monitoring = (await get(h, '/services')).services.find(
        (s: { name: string }) => s.name === 'monitoring-service',
      );
      expect(monitoring.instances.map((i: { url: string; role: string }) => [i.url, i.role])).toEqual([
        [A, 'evaluator'],
        [B, 'standby'],
      ]);
    }
  });

  it('evaluates on one replica a rule created on the other within 2 s, and drops it when deleted there', async () => {
    const token = await a.token(['operator']);
    const created = await b.app.inject({
      method: 'POST',
      url: '/rules',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        name: 'ProbeSeen',
        expr: { kind: 'series', selector: 'up_probe', function: 'value' },
        op: '>',
        threshold: 0,
        for: '1h',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const pendingOnA = async () => {
      await a.runtime.scraper.scrapeAll();
      await a.runtime.alerts.evaluate();
      return ((await get(a, '/alerts')).alerts as { alertname: string }[]).some(
        (x) => x.alertname === 'ProbeSeen',
      );
    };
    // The evaluator took the rule in from the change feed: its next cycle evaluates it.
    expect((await eventually(pendingOnA, Boolean)).value).toBe(true);
    const removed = await b.app.inject({
      method: 'DELETE',
      url: `/rules/${created.json().id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(removed.statusCode).toBe(204);
    expect((await eventually(pendingOnA, (seen) => !seen)).value).toBe(false);
  });

  it('fires on the evaluator only and lists the same alerts on both', async () => {
    for (let i = 0; i < 2; i++) await step([a, b]);
    alive = false;
    await step([a, b]);
    await step([a, b]);
    await step([a, b]); // pending for 30 s > 20 s: firing; the group waits 30 s before notifying
    const onA = await serviceDown(a);
    const onB = await serviceDown(b);
    expect(onA?.state).toBe('firing');
    expect(onB).toEqual(onA);
    expect(received).toEqual([]);
  });

  it('notifies once although the evaluator dies mid-group and the other takes over', async () => {
    // The evaluator's process "dies": it stops working and its database connections drop.
    await a.runtime.monitor.stop();
    await sql`select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(
      b.database.db,
    );
    expect((await eventually(async () => (await b.runtime.evaluator()).here, Boolean, 3000)).value).toBe(
      true,
    );
    // B now steps alone; A's evaluate() refuses to act without the lease.
    for (let i = 0; i < 4; i++) await step([b, a]);
    const firing = received.filter((n) => n.status === 'firing');
    expect(firing).toHaveLength(1);
    expect(firing[0]!.alerts.map((x) => x.labels['alertname'])).toContain('ServiceDown');
    expect(firing[0]!.key).toMatch(/^ntf_/);
    const roles = (await get(a, '/services')).services.find(
      (s: { name: string }) => s.name === 'monitoring-service',
    );
    expect(roles.instances.map((i: { role: string }) => i.role)).toEqual(['standby', 'evaluator']);
  });

  it('keeps an acknowledgement made on the standby through the evaluator’s next cycles', async () => {
    const alert = (await serviceDown(a))!;
    const token = await a.token(['operator']);
    const ack = await a.app.inject({
      method: 'POST',
      url: `/alerts/${alert.fingerprint}/ack`,
      headers: { authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(ack.statusCode, ack.body).toBe(200);
    await step([b, a]);
    await step([b, a]);
    expect((await serviceDown(b))?.acknowledgedBy).toBeTruthy();
    expect((await serviceDown(a))?.acknowledgedBy).toBeTruthy();
    // Still one notification.
    expect(received.filter((n) => n.status === 'firing')).toHaveLength(1);
  });

  it('mutes on the evaluator within 2 s a silence made on the standby', async () => {
    const token = await a.token(['operator']);
    const silence = await a.app.inject({
      method: 'POST',
      url: '/silences',
      headers: { authorization: `Bearer ${token}` },
      payload: { matchers: ['alertname="ServiceDown"'], duration: '1h', comment: 'replica test' },
    });
    expect(silence.statusCode, silence.body).toBe(201);
    // B's list marks silenced alerts from B's own live silences, which the change feed refreshed.
    expect(
      (
        await eventually(
          async () => (await serviceDown(b))?.silencedBy.length ?? 0,
          (n) => n > 0,
        )
      ).value,
    ).toBeGreaterThan(0);
  });
});
