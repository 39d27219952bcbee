import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { counterKey } from './redis-store.js';
import type { WindowSpec } from './sliding-window.js';
import { SyncedStore } from './synced-store.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const connections: Redis[] = [];
const stores: SyncedStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const r of connections) r.disconnect();
});

async function connect(url = REDIS_URL): Promise<Redis> {
  const r = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
  connections.push(r);
  if (url === REDIS_URL && r.status !== 'ready') await new Promise((res) => r.once('ready', res));
  return r;
}

/** A store that syncs only when the test says so (the interval is an hour). */
async function store(prefix: string, url?: string): Promise<SyncedStore> {
  const s = new SyncedStore(await connect(url), { syncMs: 3_600_000, prefix });
  stores.push(s);
  return s;
}

const HOUR: WindowSpec[] = [{ windowMs: 3_600_000, limit: 10 }];
function admitted(s: SyncedStore, key: string, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (s.hitSync(key, HOUR).allowed) ok++;
  return ok;
}

describe('SyncedStore (real Redis)', () => {
  it('decides locally and shares totals through Redis at each sync', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [a, b] = [await store(prefix), await store(prefix)];
    expect(admitted(a, 'k', 6)).toBe(6);
    await a.sync();
    // B's first hit is decided on what it knew (nothing); the sync then brings A's six.
    expect(admitted(b, 'k', 1)).toBe(1);
    await b.sync();
    const seen = b.hitSync('k', HOUR);
    expect(seen.allowed).toBe(true);
    expect(seen.windows[0]!.remaining).toBe(2); // 6 + 1 + this one of 10
    expect(admitted(b, 'k', 5)).toBe(2);
    await b.sync();
    await a.sync();
    // A learns the total at its next sync of the key: its next hit still counts on 6 of 10...
    expect(admitted(a, 'k', 1)).toBe(1);
    await a.sync();
    // ...and from then on it refuses: 11 admitted in all, the limit plus one hit made between syncs.
    expect(admitted(a, 'k', 3)).toBe(0);
  });

  it('exceeds the limit by at most what is admitted between syncs', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [a, b] = [await store(prefix), await store(prefix)];
    // Neither has synced: each admits the limit on its own, the worst case of N x the limit.
    expect(admitted(a, 'burst', 12)).toBe(10);
    expect(admitted(b, 'burst', 12)).toBe(10);
    await Promise.all([a.sync(), b.sync()]);
    expect(admitted(a, 'burst', 1) + admitted(b, 'burst', 1)).toBe(0);
    // Taking turns, each syncing after its own hit: each decides without only the other's
    // last hit, so together they admit the limit plus that one hit.
    let total = 0;
    for (let i = 0; i < 30; i++) {
      const s = i % 2 ? b : a;
      total += admitted(s, 'paced', 1);
      await s.sync();
    }
    expect(total).toBe(11);
  });

  it('keeps hits counted while Redis is away and sends them once it is back', async () => {
    const prefix = `test:${randomUUID()}:`;
    const s = await store(prefix);
    const r = s.redis;
    expect(admitted(s, 'k', 3)).toBe(3);
    const ended = new Promise((res) => r.once('end', res));
    r.disconnect();
    await s.sync();
    expect(s.health()).toMatchObject({ status: 'degraded' });
    expect(s.health().detail).toContain('counting locally');
    // Still limiting, on local counts.
    expect(admitted(s, 'k', 10)).toBe(7);
    await ended;
    await r.connect();
    await s.sync();
    expect(s.health()).toEqual({ policy: 'redis', status: 'ok' });
    const index = Math.floor(Number((await r.time())[0]) / 3600);
    expect(await r.get(counterKey(`${prefix}k`, 3_600_000, index))).toBe('10');
  });

  it('limits locally and says so when Redis is unreachable', async () => {
    const s = await store(`test:${randomUUID()}:`, 'redis://127.0.0.1:1');
    expect(admitted(s, 'k', 12)).toBe(10);
    await s.sync();
    expect(s.health()).toMatchObject({ policy: 'redis', status: 'degraded' });
  });
});
