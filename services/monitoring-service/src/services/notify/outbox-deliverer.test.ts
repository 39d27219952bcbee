import { describe, expect, it } from 'vitest';
import type { NotificationRepository, OutboxEntry } from '../../models/notification-repository.js';
import { backoffDelay, notPassedOn, OutboxDeliverer } from './outbox-deliverer.js';

/** An in-memory outbox with the repository's contract, to drive the deliverer's retry logic. */
function memoryOutbox(entries: OutboxEntry[]) {
  const delivered = new Map<string, number>();
  const repo: NotificationRepository = {
    loadGroups: async () => [],
    commit: async () => {},
    due: async (now) => entries.filter((e) => !delivered.has(e.id) && e.nextAttemptAt <= now),
    delivered: async (id, at) => {
      delivered.set(id, at);
    },
    failed: async (id, attempts, next, error) => {
      const e = entries.find((x) => x.id === id)!;
      Object.assign(e, { attempts, nextAttemptAt: next, lastError: error });
    },
    pendingCount: async () => entries.filter((e) => !delivered.has(e.id)).length,
  };
  return { repo, delivered };
}

describe('outbox delivery', () => {
  it('backs off exponentially up to the cap', () => {
    const b = { baseMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('retries a failing receiver with backoff and delivers each entry once when it is back', async () => {
    let t = 0;
    let up = false;
    const calls: string[] = [];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      calls.push(String(init.body));
      return new Response(null, { status: up ? 200 : 503 });
    }) as typeof fetch;
    const entry: OutboxEntry = {
      id: 'ntf_1',
      receiver: 'r',
      url: 'http://r',
      payload: { n: 1 },
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
    };
    const { repo, delivered } = memoryOutbox([entry]);
    const d = new OutboxDeliverer({
      repository: repo,
      timeoutMs: 1000,
      backoff: { baseMs: 1000, maxMs: 60_000 },
      now: () => t,
      fetch: fakeFetch,
    });
    expect(await d.deliverDue()).toEqual({ delivered: 0, failed: 1 });
    expect(entry).toMatchObject({ attempts: 1, nextAttemptAt: 1000, lastError: 'HTTP 503' });
    t = 500;
    expect(await d.deliverDue()).toEqual({ delivered: 0, failed: 0 }); // not due yet
    t = 1000;
    await d.deliverDue();
    expect(entry).toMatchObject({ attempts: 2, nextAttemptAt: 3000 });
    up = true;
    t = 3000;
    expect(await d.deliverDue()).toEqual({ delivered: 1, failed: 0 });
    t = 100_000;
    expect(await d.deliverDue()).toEqual({ delivered: 0, failed: 0 });
    expect(delivered.get('ntf_1')).toBe(3000);
    expect(calls).toHaveLength(3);
  });
});

describe('notPassedOn', () => {
  it('names what a ChatOps-shaped answer could not pass on, and nothing otherwise', () => {
    expect(
      notPassedOn(
        JSON.stringify({
          deliveries: [
            { channel: '#alerts', alerts: 1, ok: false, threaded: false, error: 'slack_not_configured' },
            { channel: '#ml', alerts: 1, ok: true, threaded: false },
          ],
        }),
      ),
    ).toBe('#alerts: slack_not_configured');
    expect(notPassedOn(JSON.stringify({ deliveries: [{ channel: '#a', ok: true }] }))).toBeNull();
    expect(notPassedOn('ok')).toBeNull();
    expect(notPassedOn('')).toBeNull();
    expect(notPassedOn('{"status":"success"}')).toBeNull();
  });
});
