import { describe, expect, it } from 'vitest';
import { LocalStore } from './local-store.js';
import { RateLimiter } from './rate-limiter.js';
import { describeWindow, estimate, windowName, windowsFrom } from './sliding-window.js';

describe('sliding window', () => {
  it('weights the previous window by its remaining overlap', () => {
    expect(estimate(10, 2, 250, 1000)).toBe(9.5);
    expect(windowName(1000)).toBe('second');
    expect(windowName(90_000)).toBe('90s');
    expect(windowsFrom({ minute: 100, second: 5 })).toEqual([
      { windowMs: 1000, limit: 5 },
      { windowMs: 60_000, limit: 100 },
    ]);
  });

  it('tells how long to wait before the next hit fits', () => {
    // 4 of 4 used in this window: wait for the next window, where 4 weighs until 1/4 has passed.
    const full = describeWindow(0, 4, 600, { windowMs: 1000, limit: 4 });
    expect(full).toMatchObject({ remaining: 0, resetMs: 400 });
    expect(full.retryAfterMs).toBe(400 + 250);
    // Previous window still weighs: 8 * 0.5 + 0 = 4 >= 4; after 125 ms it is 8 * 0.375 = 3.
    expect(describeWindow(8, 0, 500, { windowMs: 1000, limit: 4 }).retryAfterMs).toBe(125);
  });
});

describe('LocalStore + RateLimiter', () => {
  it('counts several windows, answers the RateLimit fields and refuses without counting the refusal', async () => {
    let now = 10_000;
    const store = new LocalStore(() => now);
    const limiter = new RateLimiter(
      'r',
      { policy: 'local', limit_by: 'consumer', second: 2, minute: 3 },
      store,
    );
    const who = { consumer: 'usr_1', ip: '1.2.3.4' };
    const first = await limiter.check(who);
    expect(limiter.policyField).toBe('"second";q=2;w=1, "minute";q=3;w=60');
    expect(first).toEqual({ allowed: true, rateLimit: '"second";r=1;t=1', retryAfter: 0 });
    expect((await limiter.check(who)).allowed).toBe(true);
    const refused = await limiter.check(who);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfter).toBe(2); // 2 of 2 now weigh 1 after 500 ms of the next second
    now += 2_000; // the second window is free again, the minute window has one hit left
    const third = await limiter.check(who);
    expect(third.rateLimit).toBe('"minute";r=0;t=48'); // the tightest window speaks
    const minuteFull = await limiter.check(who);
    expect(minuteFull.allowed).toBe(false);
    expect(minuteFull.retryAfter).toBeGreaterThan(40);
    // Another consumer, and the same consumer's IP when anonymous, have their own counters.
    expect((await limiter.check({ consumer: 'usr_2', ip: '1.2.3.4' })).allowed).toBe(true);
    expect((await limiter.check({ ip: '1.2.3.4' })).allowed).toBe(true);
    await store.close();
  });

  it('keeps callers that take turns on their own counters', async () => {
    const store = new LocalStore(() => 0);
    const byConsumer = new RateLimiter('t', { policy: 'local', limit_by: 'consumer', second: 2 }, store);
    const byIp = new RateLimiter('u', { policy: 'local', limit_by: 'ip', second: 1 }, store);
    const answers: boolean[] = [];
    for (const who of [
      { consumer: 'usr_a', ip: '10.0.0.1' },
      { consumer: 'usr_b', ip: '10.0.0.1' },
      { ip: '10.0.0.1' },
      { consumer: 'usr_a', ip: '10.0.0.2' },
      { consumer: 'usr_b', ip: '10.0.0.2' },
      { ip: '10.0.0.1' },
      { consumer: 'usr_a', ip: '10.0.0.1' },
    ])
      answers.push((await byConsumer.check(who)).allowed);
    // usr_a, usr_b and the anonymous 10.0.0.1 each get 2 a second, whatever the order.
    expect(answers).toEqual([true, true, true, true, true, true, false]);
    const byAddress: boolean[] = [];
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.1', '10.0.0.3', '10.0.0.2'])
      byAddress.push((await byIp.check({ consumer: 'usr_a', ip })).allowed);
    expect(byAddress).toEqual([true, true, false, true, false]);
    // usr_a, usr_b, t's 10.0.0.1, and u's three addresses.
    expect(store.size).toBe(6);
    await store.close();
  });

  it('limits by IP when configured so, and sweeps finished counters', async () => {
    let now = 0;
    const store = new LocalStore(() => now);
    const limiter = new RateLimiter('login', { policy: 'local', limit_by: 'ip', second: 1 }, store);
    expect((await limiter.check({ consumer: 'a', ip: '9.9.9.9' })).allowed).toBe(true);
    expect((await limiter.check({ consumer: 'b', ip: '9.9.9.9' })).allowed).toBe(false);
    expect(store.size).toBe(1);
    now = 5_000;
    store.sweep();
    expect(store.size).toBe(0);
    await store.close();
  });
});
