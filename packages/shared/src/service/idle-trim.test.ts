import { describe, expect, it } from 'vitest';
import { startIdleTrim } from './idle-trim.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps the event loop busy for `ms`. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {}
}

describe('startIdleTrim', () => {
  it('collects once when the process goes quiet, and again only after more work', async () => {
    let collections = 0;
    const stop = startIdleTrim({ quietMs: 100, collect: () => collections++ });
    try {
      await pause(350);
      // Start-up counted as work: one collection, not one per quiet interval.
      expect(collections).toBe(1);
      for (let i = 0; i < 4; i++) {
        spin(60);
        await pause(10);
      }
      await pause(350);
      expect(collections).toBe(2);
    } finally {
      stop();
    }
    await pause(250);
    expect(collections).toBe(2);
  });

  it('reaches V8 full collections without --expose-gc on the command line', async () => {
    const stop = startIdleTrim({ quietMs: 50 });
    await pause(200);
    stop();
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
  });
});
