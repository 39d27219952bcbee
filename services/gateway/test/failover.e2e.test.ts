import { createTestIdentity, type TestIdentity } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mutableDiscovery,
  startGateway,
  startUpstream,
  type TestGateway,
  type UpstreamProcess,
} from './helpers.js';
import { testConfig } from './test-config.js';

let identity: TestIdentity;
let a: UpstreamProcess;
let b: UpstreamProcess;
let gw: TestGateway;
let token: string;

beforeAll(async () => {
  identity = await createTestIdentity();
  [a, b] = await Promise.all([startUpstream('ml-a'), startUpstream('ml-b')]);
  const discovery = mutableDiscovery({ 'ml-service': [a.url, b.url], 'auth-service': [] });
  gw = await startGateway({ yaml: testConfig(), discovery, identity });
  token = await identity.token({ roles: ['viewer'] });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([a?.kill(), b?.kill()]);
  await identity?.close();
});

interface Sample {
  at: number;
  status: number;
  instance: string | undefined;
}

/** Steady load: `workers` loops each sending one request after another until `until()` is true. */
async function load(workers: number, until: () => boolean, samples: Sample[]): Promise<void> {
  const deadline = Date.now() + 20_000; // bounded whatever happens
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until() && Date.now() < deadline) {
        try {
          const res = await fetch(`${gw.url}/api/ml/echo`, { headers: { authorization: `Bearer ${token}` } });
          const body = (await res.json()) as { instance?: string };
          samples.push({ at: Date.now(), status: res.status, instance: body.instance });
        } catch {
          samples.push({ at: Date.now(), status: 0, instance: undefined });
        }
      }
    }),
  );
}

describe('two instances under steady load', () => {
  it('loses no idempotent request when one is killed, and takes it back when it returns', async () => {
    const samples: Sample[] = [];
    let phase: 'before' | 'killed' | 'revived' | 'done' = 'before';
    let killedAt = 0;
    const running = load(6, () => phase === 'done', samples);

    await new Promise((r) => setTimeout(r, 800));
    const port = Number(new URL(a.url).port);
    killedAt = Date.now();
    await a.kill('SIGKILL');
    phase = 'killed';
    await new Promise((r) => setTimeout(r, 1_200));
    const aHealth = gw.app.gateway.upstreams.health()['ml-service']!.find((i) => i.url === a.url)!;
    expect(aHealth.available).toBe(false);

    a = await startUpstream('ml-a', port);
    phase = 'revived';
    const revivedAt = Date.now();
    // Active health polls every 200 ms: the instance must be back in rotation well within 3 s.
    const backBy = Date.now() + 3_000;
    while (Date.now() < backBy && !samples.some((s) => s.at > revivedAt && s.instance === 'ml-a')) {
      await new Promise((r) => setTimeout(r, 100));
    }
    phase = 'done';
    await running;

    const before = samples.filter((s) => s.at < killedAt);
    const after = samples.filter((s) => s.at >= killedAt);
    expect(new Set(before.map((s) => s.instance))).toEqual(new Set(['ml-a', 'ml-b']));
    const failed = after.filter((s) => s.status !== 200);
    console.info(
      `failover: ${samples.length} requests, ${after.length} after the kill, ${failed.length} failed (${failed.map((f) => f.status).join(',') || 'none'})`,
    );
    // Retried once on the other instance: at most a handful fail, none once it is ejected.
    expect(failed.length).toBeLessThanOrEqual(3);
    const ejectedBy = killedAt + 500;
    expect(after.filter((s) => s.at > ejectedBy && s.status !== 200)).toEqual([]);
    expect(after.filter((s) => s.status === 200).length).toBeGreaterThan(50);
    expect(samples.some((s) => s.at > revivedAt && s.instance === 'ml-a' && s.status === 200)).toBe(true);
  });

  it('answers 503 naming the upstream when no instance is left, never hanging', async () => {
    await Promise.all([a.kill(), b.kill()]);
    const statuses: number[] = [];
    let last: { code?: string; detail?: string } = {};
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${gw.url}/api/ml/echo`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5_000),
      });
      statuses.push(res.status);
      last = (await res.json()) as typeof last;
    }
    expect(statuses.every((s) => s === 502 || s === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(503);
    expect(last).toMatchObject({
      code: 'GATEWAY_UPSTREAM_UNAVAILABLE',
      detail: expect.stringContaining('ml-service'),
    });
  });
});
