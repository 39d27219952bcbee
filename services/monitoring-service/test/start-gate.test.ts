import {
  createTestIdentity,
  eventually,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, replicaHarness, startServer, testClock } from './helpers/harness.js';

/**
 * No page on a planned start: a service is alerted on once it has been ready since monitoring
 * started, or once its start-up grace has passed. Driven step by step on a test clock over one
 * PostgreSQL, so a restart of monitoring and a second replica read the same records.
 */

const [, postgres] = await testDatabaseTargets();

describe.skipIf(postgres!.skipReason)('start gate: no alert while a service starts', () => {
  const clock = testClock();
  let identity: TestIdentity;
  let database: TestDatabase;
  let up = false;
  const received: Array<{ status: string; alerts: Array<{ labels: Record<string, string> }> }> = [];
  let api: Awaited<ReturnType<typeof startServer>>;
  let never: Awaited<ReturnType<typeof startServer>>;
  let receiver: Awaited<ReturnType<typeof startServer>>;
  const open: Harness[] = [];

  const replica = async (instance: string) => {
    const h = await replicaHarness(database.url!, {
      services: { 'api-service': [api.url], 'never-service': [never.url] },
      now: clock.now,
      identity,
      instance,
      leaseRetryMs: 100,
      env: {
        ALERT_RECEIVERS: `pager=${receiver.url}/hook`,
        STARTUP_GRACE: '2m',
        GROUP_WAIT: '10s',
        GROUP_INTERVAL: '1m',
        REPEAT_INTERVAL: '1h',
      },
    });
    open.push(h);
    return h;
  };
  /** One 15 s tick of every replica's periodic work, as the Monitor runs it. */
  const step = async (replicas: Harness[], times = 1) => {
    for (let i = 0; i < times; i++) {
      clock.advance(15_000);
      for (const h of replicas) {
        await h.runtime.scrape();
        await h.runtime.alerts.evaluate();
        if ((await h.runtime.evaluator()).here) await h.runtime.deliverer.deliverDue();
      }
    }
  };
  const serviceDown = async (h: Harness, service: string) => {
    const res = await h.app.inject({
      url: '/alerts',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    return (
      res.json().alerts as Array<{ alertname: string; state: string; labels: Record<string, string> }>
    ).find((a) => a.alertname === 'ServiceDown' && a.labels['service'] === service);
  };
  const heldUntil = async (h: Harness, url: string) => {
    const res = await h.app.inject({
      url: '/services',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    const instances = (
      res.json().services as Array<{ instances: Array<{ url: string; alertsHeldUntil: string | null }> }>
    ).flatMap((s) => s.instances);
    return instances.find((i) => i.url === url)?.alertsHeldUntil;
  };
  const availability = async (h: Harness, service: string) => {
    const res = await h.app.inject({
      url: '/signals',
      headers: { authorization: `Bearer ${await h.token(['viewer'])}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const all = res.json().services as Array<{ service: string; signals: { availability: number | null } }>;
    return all.find((s) => s.service === service)?.signals.availability;
  };
  const paged = (service: string) =>
    received.filter((n) => n.status === 'firing' && n.alerts.some((a) => a.labels['service'] === service));

  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await postgres!.create();
    const target = (isUp: () => boolean) =>
      startServer((req) => {
        if (!isUp()) return { status: 503, body: 'starting' };
        if (req.url === '/metrics') return { status: 200, body: 'probe 1\n' };
        return { status: 200, body: '{"status":"ok"}', type: 'application/json' };
      });
    api = await target(() => up);
    never = await target(() => false);
    receiver = await startServer((_req, body) => {
      received.push(JSON.parse(body));
      return { status: 200 };
    });
  }, 60_000);

  afterAll(async () => {
    for (const h of open.reverse()) await h.close().catch(() => {});
    await api?.close();
    await never?.close();
    await receiver?.close();
    await database?.drop();
    await identity?.close();
  });

  let a: Harness;
  it('does not alert on a service that is still starting, then does once it was ready and stops', async () => {
    a = await replica('replica-a');
    // A minute of failed scrapes while api-service starts: ServiceDown would be firing (for: 20s).
    await step([a], 4);
    expect(await serviceDown(a, 'api-service')).toBeUndefined();
    expect(a.runtime.startGate.heldTargets()).toContain(`api-service ${new URL(api.url).host}`);
    // The service view says so, and until when (first seen at the first scrape, 15 s in, plus 2m).
    const started = clock.now() - 4 * 15_000;
    expect(await heldUntil(a, api.url)).toBe(new Date(started + 15_000 + 120_000).toISOString());
    up = true;
    await step([a]);
    expect(a.runtime.startGate.heldTargets()).not.toContain(`api-service ${new URL(api.url).host}`);
    expect(await heldUntil(a, api.url)).toBeNull();
    // Its failed scrapes while it started are not an outage: availability over the five minutes
    // is that of the one scrape since (it read 20%, in red, with the four failures counted).
    expect(await availability(a, 'api-service')).toBe(1);
    up = false;
    await step([a]);
    expect((await serviceDown(a, 'api-service'))?.state).toBe('pending');
    await step([a], 2);
    expect((await serviceDown(a, 'api-service'))?.state).toBe('firing');
    // Eight steps (120 s): never-service, first seen at 15 s, is still in its 2m grace.
    expect(await serviceDown(a, 'never-service')).toBeUndefined();
    await step([a]); // GROUP_WAIT
    expect(paged('api-service')).toHaveLength(1);
  });

  it('alerts on a service never ready once its start-up grace has passed', async () => {
    // Nine steps so far (135 s): the grace of never-service ended with the last one.
    expect((await serviceDown(a, 'never-service'))?.state).toBe('pending');
    // From then on its failures count.
    expect(await availability(a, 'never-service')).toBe(0);
    await step([a], 2);
    expect((await serviceDown(a, 'never-service'))?.state).toBe('firing');
    await step([a]); // GROUP_WAIT
    expect(paged('never-service').length).toBeGreaterThan(0);
  });

  it('a replica joining a running one keeps its watch and alerts at once when it takes over', async () => {
    up = true;
    await step([a], 2);
    const b = await replica('replica-b');
    await step([a, b]);
    await a.close();
    await eventually(
      () => b.runtime.evaluator(),
      (e) => e.here,
      10_000,
    );
    up = false;
    // api-service was ready in the watch replica-a began: replica-b does not grant it a new grace.
    await step([b], 3);
    expect((await serviceDown(b, 'api-service'))?.state).toBe('firing');
    up = true;
    await step([b], 2);
    expect((await serviceDown(b, 'api-service'))?.state).toBe('resolved');
    await b.close();
  });

  it('after a restart of monitoring, a service that was ready before gets a new grace', async () => {
    up = false;
    received.length = 0;
    // Both replicas stopped cleanly; the first to start again begins a new watch.
    const c = await replica('replica-a');
    await step([c], 4);
    // The alert firing before the restart resolves: the service is starting again.
    expect((await serviceDown(c, 'api-service'))?.state ?? 'none').toMatch(/none|resolved/);
    expect(paged('api-service')).toHaveLength(0);
    up = true;
    await step([c], 2);
    up = false;
    await step([c], 3);
    expect((await serviceDown(c, 'api-service'))?.state).toBe('firing');
  });
});
