import { describe, expect, it } from 'vitest';
import { type CircuitTransition, InstanceCircuit, REFUSED } from './circuit-breaker.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InstanceCircuit', () => {
  it('opens after consecutive failures, probes once after the cooldown, closes on success, and reports each change', async () => {
    const seen: CircuitTransition[] = [];
    const c = new InstanceCircuit('ml-service', 'http://i1', { failureThreshold: 3, cooldownMs: 80 }, (t) =>
      seen.push(t),
    );
    const fail = () =>
      c.run(
        async () => 'bad',
        () => false,
      );
    const pass = () =>
      c.run(
        async () => 'good',
        () => true,
      );
    await fail();
    await pass(); // a success resets the count
    await fail();
    await fail();
    expect(c.state).toBe('closed');
    await fail();
    expect(c.state).toBe('open');
    let called = false;
    expect(
      await c.run(
        async () => {
          called = true;
          return 1;
        },
        () => true,
      ),
    ).toBe(REFUSED);
    expect(called).toBe(false);
    await wait(100);
    // One probe at a time while half-open: a concurrent call waits for the probe's outcome.
    const order: string[] = [];
    let release!: () => void;
    const probe = c.run(
      () =>
        new Promise<string>((r) => {
          order.push('probe');
          release = () => r('ok');
        }),
      () => true,
    );
    const waiting = c.run(
      async () => {
        order.push('second');
        return 'second';
      },
      () => true,
    );
    await wait(20);
    expect(order).toEqual(['probe']);
    release();
    expect(await probe).toBe('ok');
    expect(await waiting).toBe('second');
    expect(c.state).toBe('closed');
    expect(seen.map((t) => `${t.from}>${t.to}`)).toEqual([
      'closed>open',
      'open>half-open',
      'half-open>closed',
    ]);
    expect(seen[0]).toMatchObject({ target: 'ml-service', instance: 'http://i1' });
  });

  it('counts a thrown error as a failure and throws it on', async () => {
    const c = new InstanceCircuit('s', 'http://i', { failureThreshold: 1, cooldownMs: 60_000 });
    await expect(
      c.run(
        async () => {
          throw new Error('boom');
        },
        () => true,
      ),
    ).rejects.toThrow('boom');
    expect(c.state).toBe('open');
  });
});
