import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { followRevocations, RevocationList, type RevocationPage } from './revocation-list.js';

const at = (ms: number) => new Date(ms).toISOString();

describe('RevocationList', () => {
  const t0 = Date.parse('2030-01-01T00:00:00Z');

  it('refuses what was issued before its subject, session or key was revoked, and nothing after', () => {
    const list = new RevocationList({ now: () => t0 });
    list.apply({
      cursor: 3,
      reset: false,
      events: [
        { seq: 1, kind: 'subject', id: 'usr_a', at: at(t0) },
        { seq: 2, kind: 'session', id: 'ses_b', at: at(t0) },
        { seq: 3, kind: 'api-key', id: 'key_c', at: at(t0) },
      ],
    });
    const sec = t0 / 1000;
    expect(list.rejects({ subject: 'usr_a', issuedAt: sec - 60 })).toBe(true);
    expect(list.rejects({ subject: 'usr_a', issuedAt: sec })).toBe(true); // same second counts
    expect(list.rejects({ subject: 'usr_a', issuedAt: sec + 1 })).toBe(false); // after re-enabling
    expect(list.rejects({ subject: 'usr_x', sessionId: 'ses_b', issuedAt: sec + 100 })).toBe(true);
    expect(list.rejects({ subject: 'usr_x', keyId: 'key_c', issuedAt: sec - 1 })).toBe(true);
    expect(list.rejects({ subject: 'usr_x', keyId: 'key_d', issuedAt: sec - 1 })).toBe(false);
    expect(list.rejects({ subject: 'usr_x' })).toBe(false);
  });

  it('forgets entries older than the longest token lifetime, and starts over on a reset', () => {
    let now = t0;
    const list = new RevocationList({ maxAgeSeconds: 60, now: () => now });
    list.apply({ cursor: 1, reset: false, events: [{ seq: 1, kind: 'subject', id: 'usr_a', at: at(t0) }] });
    expect(list.size).toBe(1);
    now = t0 + 61_000;
    list.apply({ cursor: 2, reset: false, events: [{ seq: 2, kind: 'session', id: 'ses_b', at: at(now) }] });
    expect(list.size).toBe(1);
    list.apply({ cursor: 5, reset: true, events: [] });
    expect(list.size).toBe(0);
  });
});

describe('followRevocations', () => {
  it('reads the window, then long-polls from the cursor, retrying after a failure', async () => {
    const calls: (number | null)[] = [];
    const pages: (RevocationPage | Error)[] = [
      {
        cursor: 4,
        reset: true,
        events: [{ seq: 4, kind: 'subject', id: 'usr_a', at: new Date().toISOString() }],
      },
      new Error('auth service unreachable'),
      { cursor: 5, reset: false, events: [{ seq: 5, kind: 'keys', id: 'k2', at: new Date().toISOString() }] },
    ];
    const list = new RevocationList();
    const seen: string[] = [];
    const errors: unknown[] = [];
    const follower = followRevocations({
      list,
      read: async (after, _wait, signal) => {
        calls.push(after);
        const next = pages.shift();
        if (!next) {
          await new Promise((r) => signal.addEventListener('abort', r));
          throw new Error('aborted');
        }
        if (next instanceof Error) throw next;
        return next;
      },
      onEvents: (events) => seen.push(...events.map((e) => e.kind)),
      onError: (err) => errors.push(err),
    });
    const until = Date.now() + 3000;
    while (seen.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await follower.close();
    expect(seen).toEqual(['subject', 'keys']);
    expect(calls.slice(0, 3)).toEqual([null, 4, 4]);
    expect(errors).toHaveLength(1);
    expect(list.rejects({ subject: 'usr_a', issuedAt: 0 })).toBe(true);
  });

  it('leaves no listener on its signal from the waits between failed reads', async () => {
    const listeners: number[] = [];
    const follower = followRevocations({
      list: new RevocationList(),
      read: async (_after, _wait, signal) => {
        listeners.push(getEventListeners(signal, 'abort').length);
        throw new Error('auth service unreachable');
      },
    });
    const until = Date.now() + 6000;
    while (listeners.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await follower.close();
    // Read after one and after two waits (1 s, then 2 s): each wait took its listener with it.
    expect(listeners.slice(0, 3)).toEqual([0, 0, 0]);
  }, 10_000);
});
