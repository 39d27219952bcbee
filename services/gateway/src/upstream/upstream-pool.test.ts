import { describe, expect, it } from 'vitest';
import { leastOutstanding, roundRobin } from './balancers.js';
import { createInstance } from './upstream-instance.js';
import { UpstreamPool } from './upstream-pool.js';

const urls = ['http://a:1', 'http://b:1', 'http://c:1'];

describe('balancers', () => {
  it('round-robin rotates over the candidates', () => {
    const b = roundRobin();
    const list = urls.map(createInstance);
    expect([0, 1, 2, 3].map(() => b.pick(list).url)).toEqual([...urls, urls[0]]);
  });

  it('least-outstanding takes the less busy of two random choices', () => {
    const list = urls.map(createInstance);
    list[0]!.outstanding = 5;
    list[1]!.outstanding = 1;
    const seq = [0.1, 0.4]; // picks index 0, then index 1 of the remaining
    const b = leastOutstanding(() => seq.shift() ?? 0);
    expect(b.pick(list).url).toBe('http://b:1');
  });
});

describe('UpstreamPool', () => {
  it('ejects after N consecutive failures for the cool-down, then puts it back on probation', () => {
    let now = 1_000;
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'round-robin',
      passive: { failures: 2, cooldownMs: 500 },
      now: () => now,
    });
    pool.setInstances(urls.slice(0, 2));
    const a = pool.instances[0]!;
    pool.start(a);
    expect(pool.fail(a)).toBe(false);
    pool.start(a);
    expect(pool.fail(a)).toBe(true);
    for (let i = 0; i < 4; i++) expect(pool.pick()?.url).toBe('http://b:1');
    expect(pool.health()[0]).toMatchObject({ available: false, ejectedForMs: 500 });
    now += 501;
    expect(pool.health()[0]!.available).toBe(true);
    pool.start(a);
    expect(pool.fail(a)).toBe(true);
  });

  it('a success resets the failure count, and pick can exclude the instance that just failed', () => {
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'least-outstanding',
      passive: { failures: 2, cooldownMs: 500 },
    });
    pool.setInstances(urls.slice(0, 2));
    const [a, b] = pool.instances;
    pool.start(a!);
    pool.fail(a!);
    pool.start(a!);
    pool.succeed(a!);
    expect(a!.consecutiveFailures).toBe(0);
    for (let i = 0; i < 5; i++) expect(pool.pick(a)).toBe(b);
    b!.activeHealthy = false;
    pool.changed(); // as the active checker does on a verdict
    expect(pool.pick(a)).toBeUndefined();
  });

  it('keeps the state of instances that stay in discovery', () => {
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'round-robin',
      passive: { failures: 1, cooldownMs: 500 },
    });
    pool.setInstances(urls);
    pool.instances[1]!.outstanding = 3;
    pool.setInstances(['http://b:1/', 'http://d:1']);
    expect(pool.instances.map((i) => [i.url, i.outstanding])).toEqual([
      ['http://b:1', 3],
      ['http://d:1', 0],
    ]);
  });
});
