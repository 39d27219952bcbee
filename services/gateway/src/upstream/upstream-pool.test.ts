import { describe, expect, it } from 'vitest';
import { leastOutstanding, roundRobin } from './balancers.js';
import { createInstance } from './upstream-instance.js';
import { autoSubsetSize, UpstreamPool } from './upstream-pool.js';

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

describe('UpstreamPool subsetting (UPSTREAM_SUBSET_SIZE)', () => {
  const many = Array.from({ length: 200 }, (_, i) => `http://10.0.${i >> 8}.${i & 255}:8080`);
  const subsetPool = (
    id: string,
    size: number | 'auto',
    list: readonly string[] = many,
    replicas?: () => number,
  ) => {
    const pool = new UpstreamPool({
      name: 'ml',
      balancer: 'round-robin',
      passive: { failures: 1, cooldownMs: 60_000 },
      subset: { size, id, ...(replicas ? { replicas } : {}) },
    });
    pool.setInstances(list);
    return pool;
  };
  /** The instances a pool sends to: everything round-robin reaches in twice the subset's length. */
  const reached = (pool: UpstreamPool, picks = 400) => {
    const seen = new Set<string>();
    for (let i = 0; i < picks; i++) seen.add(pool.pick()!.url);
    return seen;
  };

  it('sends to `size` instances, the same ones for the same gateway id, others for another id', () => {
    const a = reached(subsetPool('gw-a', 20));
    expect(a.size).toBe(20);
    expect(reached(subsetPool('gw-a', 20))).toEqual(a);
    const b = reached(subsetPool('gw-b', 20));
    expect(b.size).toBe(20);
    expect([...b].filter((u) => a.has(u)).length).toBeLessThan(10);
  });

  it("the union of many gateways' subsets covers every instance, each about equally", () => {
    const counts = new Map(many.map((u) => [u, 0]));
    // 100 gateways × 20 = 2,000 places over 200 instances: 10 each on average.
    for (let g = 0; g < 100; g++) {
      for (const url of reached(subsetPool(`gateway-${g}`, 20))) counts.set(url, counts.get(url)! + 1);
    }
    const values = [...counts.values()];
    expect(values.reduce((s, v) => s + v, 0)).toBe(2_000);
    // Binomial(100, 0.1): standard deviation 3; every instance is someone's, none gets 3× the mean.
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThanOrEqual(25);
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - 10) ** 2, 0) / values.length);
    expect(sd).toBeLessThan(4.5);
  });

  it('replaces a member that goes unhealthy or leaves with the next one, keeping the others', () => {
    const pool = subsetPool('gw-a', 20);
    const before = reached(pool);
    const gone = [...before][0]!;
    const instance = pool.instances.find((i) => i.url === gone)!;
    pool.start(instance);
    expect(pool.fail(instance)).toBe(true); // ejected
    const after = reached(pool);
    expect(after.size).toBe(20);
    expect(after.has(gone)).toBe(false);
    expect([...before].filter((u) => !after.has(u))).toEqual([gone]);
    expect(pool.health().find((h) => h.url === gone)).toMatchObject({ available: false, inSubset: false });

    const left = [...before][1]!;
    pool.setInstances(many.filter((u) => u !== left));
    const later = reached(pool);
    expect(later.size).toBe(20);
    expect(later.has(left)).toBe(false);
    expect([...after].filter((u) => !later.has(u))).toEqual([left]);
  });

  it('sends to all instances when there are no more than the size, or the size is 0', () => {
    expect(reached(subsetPool('gw-a', 20, many.slice(0, 12))).size).toBe(12);
    expect(reached(subsetPool('gw-a', 20, many.slice(0, 20))).size).toBe(20);
    expect(reached(subsetPool('gw-a', 0)).size).toBe(200);
    const pool = subsetPool('gw-a', 20);
    expect(pool.health().filter((h) => h.inSubset)).toHaveLength(20);
    expect(pool.health().filter((h) => h.available)).toHaveLength(200);
  });

  it('sized `auto`, covers each instance about ten times over the replicas, and all of them up to 10 replicas', () => {
    expect(autoSubsetSize(200, 1)).toBeGreaterThanOrEqual(200);
    expect(autoSubsetSize(200, 10)).toBe(200);
    expect(autoSubsetSize(200, 50)).toBe(40);
    expect(autoSubsetSize(200, 1000)).toBe(16); // never fewer than 16
    expect(autoSubsetSize(3, 0)).toBe(30); // no replica known counts as one
    let replicas = 1;
    const pool = subsetPool('gw-a', 'auto', many, () => replicas);
    expect(reached(pool).size).toBe(200);
    replicas = 100; // the pool is told through changed(), as the registry does
    pool.changed();
    const twenty = reached(pool);
    expect(twenty.size).toBe(20);
    // The same members a fixed size of 20 gives this replica.
    expect(twenty).toEqual(reached(subsetPool('gw-a', 20)));
    expect(reached(subsetPool('gw-a', 'auto')).size).toBe(200); // no count given: one replica
  });
});
