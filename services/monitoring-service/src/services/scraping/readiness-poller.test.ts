import { staticDiscovery } from '@opsmesh/shared';
import { describe, expect, it } from 'vitest';
import { ReadinessPoller } from './readiness-poller.js';

/** A poller over one instance whose `/health/ready` answers as `ready()` says, on a test clock. */
function poller(ready: () => boolean, graceMs: number) {
  let now = 1_000_000;
  const fetch = (async () =>
    ready()
      ? new Response('{"status":"ok"}', { status: 200 })
      : new Response('starting', { status: 503 })) as unknown as typeof globalThis.fetch;
  const p = new ReadinessPoller({
    discovery: staticDiscovery({ 'api-service': ['http://127.0.0.1:1'] }),
    timeoutMs: 1000,
    windowMs: 3_600_000,
    graceMs,
    now: () => now,
    fetch,
  });
  return {
    /** One 15 s tick: a poll of every instance, then the instance's status. */
    async tick() {
      now += 15_000;
      await p.pollAll();
      return p.status()[0]!;
    },
  };
}

describe('ReadinessPoller availability', () => {
  it('does not count the failed answers of an instance still starting', async () => {
    let up = false;
    const p = poller(() => up, 120_000);
    const starting = await p.tick();
    expect(starting).toMatchObject({ ready: false, availability: null, lastError: 'HTTP 503: starting' });
    await p.tick();
    up = true;
    for (let i = 0; i < 3; i++) await p.tick();
    expect((await p.tick()).availability).toBe(1);
  });

  it('counts every failure once the instance has been ready', async () => {
    let up = true;
    const p = poller(() => up, 120_000);
    for (let i = 0; i < 3; i++) await p.tick();
    up = false;
    expect(await p.tick()).toMatchObject({ ready: false, availability: 0.75 });
  });

  it('counts the failures of an instance that never became ready once its grace has passed', async () => {
    const p = poller(() => false, 60_000);
    for (let i = 0; i < 3; i++) expect((await p.tick()).availability).toBeNull();
    // First seen at the first tick: the fifth is 60 s later, past the grace.
    await p.tick();
    expect((await p.tick()).availability).toBe(0);
  });

  it('counts every failure from the first poll with no grace', async () => {
    const p = poller(() => false, 0);
    expect((await p.tick()).availability).toBe(0);
  });
});
