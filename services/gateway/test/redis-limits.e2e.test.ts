import { randomBytes } from 'node:crypto';
import { createTestIdentity, type TestIdentity } from '@opsmesh/shared/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutableDiscovery,
  startGateway,
  startUpstream,
  type TestGateway,
  type UpstreamProcess,
} from './helpers.js';
import { testConfig } from './test-config.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
let identity: TestIdentity;
let ml: UpstreamProcess;
const gateways: TestGateway[] = [];
const connections: Redis[] = [];
const route = `shared-${randomBytes(4).toString('hex')}`;
const SYNC_MS = 50;
const ASYNC_LIMIT = 60;
const yaml = testConfig({
  policy: 'redis',
  extraRoutes: `      - name: ${route}
        paths: [/api/shared]
        strip_path: true
        plugins:
          - name: anonymous
          - name: rate-limit
            config: { policy: redis, limit_by: ip, minute: 6, sync_ms: 0 }
      - name: ${route}-async
        paths: [/api/synced]
        strip_path: true
        plugins:
          - name: anonymous
          - name: rate-limit
            config: { policy: redis, limit_by: ip, hour: ${ASYNC_LIMIT}, sync_ms: ${SYNC_MS} }
`,
});

/** The most of `times` (ms, sorted) that fall in any span of `spanMs`. */
function most(times: number[], spanMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! > spanMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

function connect(url = REDIS_URL): Redis {
  const r = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 250 });
  connections.push(r);
  return r;
}

async function ready(r: Redis) {
  if (r.status !== 'ready') await new Promise((res) => r.once('ready', res));
}

beforeAll(async () => {
  identity = await createTestIdentity();
  ml = await startUpstream('ml-1');
  const discovery = mutableDiscovery({ 'ml-service': [ml.url], 'auth-service': [ml.url] });
  const r1 = connect();
  const r2 = connect();
  await Promise.all([ready(r1), ready(r2)]);
  gateways.push(await startGateway({ yaml, discovery, identity, redis: r1 }));
  gateways.push(await startGateway({ yaml, discovery, identity, redis: r2 }));
  gateways.push(await startGateway({ yaml, discovery, identity, redis: connect('redis://127.0.0.1:1') }));
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  for (const r of connections) r.disconnect();
  await ml?.kill();
  await identity?.close();
});

describe('the redis policy', () => {
  it('shares one limit between two gateway instances (real Redis)', async () => {
    const [one, two] = gateways;
    const statuses: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${(i % 2 ? two : one)!.url}/api/shared/echo`);
      statuses.push(res.status);
      remaining.push(/;r=(\d+)/.exec(res.headers.get('ratelimit') ?? '')?.[1] ?? '');
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(remaining.slice(0, 6)).toEqual(['5', '4', '3', '2', '1', '0']);
    const health = (await (await fetch(`${one!.url}/health/ready`)).json()) as {
      checks: { name: string; detail?: unknown }[];
    };
    expect(health.checks.find((c) => c.name === 'rate-limit-store')?.detail).toEqual({
      policy: 'redis',
      status: 'ok',
    });
  });

  it('synced through Redis, two gateways exceed the shared limit by no more than the documented bound', async () => {
    const [one, two] = gateways;
    // Each gateway gets a request every 40 ms for 3 s, both at once: no sync would admit 2 x 60.
    const admitted: number[][] = [[], []];
    const refused = [0, 0];
    const t0 = performance.now();
    await Promise.all(
      [one!, two!].map(async (gw, g) => {
        for (let i = 0; i < 75; i++) {
          const res = await fetch(`${gw.url}/api/synced/echo`);
          await res.arrayBuffer();
          if (res.status === 200) admitted[g]!.push(performance.now() - t0);
          else if (res.status === 429) refused[g]!++;
          else throw new Error(`unexpected status ${res.status}`);
          await new Promise((r) => setTimeout(r, 40));
        }
      }),
    );
    const total = admitted[0]!.length + admitted[1]!.length;
    // README: a gateway sees the others' hits at most two sync intervals plus a Redis round
    // trip late, so a window admits at most the limit plus what the other gateway admitted in
    // that time (the round trip bounded generously here, for a loaded machine).
    const span = 2 * SYNC_MS + 250;
    const bound = ASYNC_LIMIT + Math.max(most(admitted[1]!, span), most(admitted[0]!, span));
    expect(total).toBeGreaterThanOrEqual(ASYNC_LIMIT);
    expect(total).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(2 * ASYNC_LIMIT);
    expect(refused[0]).toBeGreaterThan(0);
    expect(refused[1]).toBeGreaterThan(0);
    const metrics = await (await fetch(`${one!.url}/metrics`)).text();
    expect(metrics).toMatch(/^opsmesh_ratelimit_redis_degraded{service="gateway"} 0$/m);
  });

  it('keeps serving on local limits when Redis is unreachable, and says so in health', async () => {
    const down = gateways[2]!;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${down.url}/api/shared/echo`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const res = await fetch(`${down.url}/health/ready`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as {
      checks: { name: string; detail?: { status: string; detail: string } }[];
    };
    const store = health.checks.find((c) => c.name === 'rate-limit-store')?.detail;
    expect(store?.status).toBe('degraded');
    expect(store?.detail).toContain('local');
    const synced: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${down.url}/api/synced/echo`);
      synced.push(r.status);
      await r.arrayBuffer();
    }
    expect(synced).toEqual([200, 200, 200]);
    const metrics = await (await fetch(`${down.url}/metrics`)).text();
    expect(metrics).toMatch(/^opsmesh_ratelimit_redis_degraded{service="gateway"} 1$/m);
  });
});
