import { describe, expect, it } from 'vitest';
import { randomMlp } from '../../test/helpers/models.js';
import { openSession, runSession } from './session-runner.js';

/**
 * CPU time of this process while it waits 20 ms after each of ten two-thread runs: what the
 * session's idle threads burn between runs, summed.
 */
async function idleCpuMs(spinning: boolean): Promise<number> {
  const open = await openSession(randomMlp(1, [64, 256, 256, 4]), { intraOpThreads: 2, spinning });
  const feeds = {
    x: { type: 'float32' as const, dims: [64, 64], data: new Float32Array(64 * 64).fill(0.5) },
  };
  let total = 0;
  try {
    for (let i = 0; i < 10; i++) {
      await runSession(open, feeds);
      const before = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 20));
      const used = process.cpuUsage(before);
      total += (used.user + used.system) / 1000;
    }
  } finally {
    await open.session.release();
  }
  return total;
}

describe('session threads', () => {
  it('sleep after a run unless spinning is asked for, and spin when it is', async () => {
    // Spinning threads keep a core busy for milliseconds after each run; sleeping ones use
    // next to nothing. Measured: about 1 ms against 35-60 ms on a loaded two-core machine.
    await idleCpuMs(false); // the first session of the process pays for setting up the runtime
    const sleeping = await idleCpuMs(false);
    const spinning = await idleCpuMs(true);
    expect(spinning).toBeGreaterThan(sleeping * 2 + 5);
  }, 30_000);
});
