import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FallbackStore } from './fallback-store.js';
import { LocalStore } from './local-store.js';
import { RateLimiter } from './rate-limiter.js';
import { RedisStore } from './redis-store.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

function redis(url = REDIS_URL) {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    lazyConnect: false,
  });
}

async function ready(r: Redis) {
  if (r.status !== 'ready') await new Promise((res) => r.once('ready', res));
}

describe('RedisStore (real Redis)', () => {
  it('shares one limit between two stores on separate connections', async () => {
    const a = new RedisStore(redis(), `test:${randomUUID()}:`);
    const b = new RedisStore(redis(), (a as unknown as { prefix: string }).prefix);
    opened.push(a, b);
    await Promise.all([ready(a.redis), ready(b.redis)]);
    const la = new RateLimiter('shared', { policy: 'redis', limit_by: 'ip', minute: 5, hour: 100 }, a);
    const lb = new RateLimiter('shared', { policy: 'redis', limit_by: 'ip', minute: 5, hour: 100 }, b);
    const who = { ip: '10.0.0.1' };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await (i % 2 ? lb : la).check(who)).allowed);
    answers.push((await lb.check(who)).allowed, (await la.check(who)).allowed);
    expect(answers).toEqual([true, true, true, true, true, false]);
    const refused = await lb.check(who);
    expect(refused.rateLimit).toMatch(/^"minute";r=0;t=\d+$/);
    expect(refused.retryAfter).toBeGreaterThan(0);
    // Concurrent hits stay exact because the script decides and counts in one step.
    const burst = new RateLimiter('burst', { policy: 'redis', limit_by: 'ip', minute: 20 }, a);
    const results = await Promise.all(Array.from({ length: 40 }, () => burst.check(who)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });

  it('falls back to local limits when Redis is unreachable, and says so', async () => {
    const down = new RedisStore(redis('redis://127.0.0.1:1'));
    const local = new LocalStore();
    const store = new FallbackStore(down, local);
    opened.push(store, local);
    const limiter = new RateLimiter('fb', { policy: 'redis', limit_by: 'ip', second: 1 }, store);
    expect((await limiter.check({ ip: '1.1.1.1' })).allowed).toBe(true);
    expect((await limiter.check({ ip: '1.1.1.1' })).allowed).toBe(false);
    expect(store.health()).toMatchObject({ policy: 'redis', status: 'degraded' });
    expect(store.health().detail).toContain('local limits');
  });

  it('reports ok while Redis answers', async () => {
    const live = new RedisStore(redis(), `test:${randomUUID()}:`);
    const local = new LocalStore();
    const store = new FallbackStore(live, local);
    opened.push(store, local);
    await ready(live.redis);
    await new RateLimiter('ok', { policy: 'redis', limit_by: 'ip', second: 1 }, store).check({
      ip: '1.1.1.1',
    });
    expect(store.health()).toEqual({ policy: 'redis', status: 'ok' });
  });
});
