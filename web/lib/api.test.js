import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const sent = [];
let api;
let polled;
beforeAll(async () => {
  vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => {}, removeItem: () => {} });
  vi.stubGlobal('fetch', async (path, init) => {
    sent.push({ path, headers: init.headers });
    return new Response('{}', { headers: { 'content-type': 'application/json' } });
  });
  ({ api, polled } = await import('./api.js'));
});
afterEach(() => {
  sent.length = 0;
});

describe('tracing of the console’s own calls', () => {
  it('asks that a periodic refresh not be traced, and leaves what a person asks for alone', async () => {
    await polled(async () => {
      await api('/api/monitoring/services');
      await api('/api/monitoring/alerts');
    });
    await api('/api/monitoring/traces');
    const [first, second, asked] = sent.map((s) => s.headers.traceparent);
    expect(first).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(second).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(second).not.toBe(first);
    expect(asked).toBeUndefined();
  });

  it('answers what the refresh answers, and stops marking calls once it failed', async () => {
    expect(await polled(async () => 'drawn')).toBe('drawn');
    await expect(
      polled(async () => {
        throw new Error('gone');
      }),
    ).rejects.toThrow('gone');
    await api('/api/auth/me');
    expect(sent.at(-1).headers.traceparent).toBeUndefined();
  });
});
