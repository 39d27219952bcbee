import { describe, expect, it } from 'vitest';
import { runsInFlight, sessionSettings, threadsPerRun, unbatchedSessions } from './runs-in-flight.js';

describe('runsInFlight', () => {
  it('runs one request per CPU at once when unbatched, leaving a core to the event loop when batched', () => {
    expect(runsInFlight({ configured: 0, workers: 2, batched: false, cpus: 2 })).toBe(2);
    expect(runsInFlight({ configured: 0, workers: 2, batched: true, cpus: 2 })).toBe(1);
    expect(runsInFlight({ configured: 0, workers: 8, batched: false, cpus: 4 })).toBe(4);
    expect(runsInFlight({ configured: 0, workers: 8, batched: true, cpus: 4 })).toBe(3);
  });

  it('never goes past the workers nor below one run', () => {
    expect(runsInFlight({ configured: 0, workers: 2, batched: false, cpus: 16 })).toBe(2);
    expect(runsInFlight({ configured: 0, workers: 4, batched: true, cpus: 1 })).toBe(1);
    expect(runsInFlight({ configured: 6, workers: 4, batched: true, cpus: 2 })).toBe(4);
  });

  it('takes a configured count over the CPU count', () => {
    expect(runsInFlight({ configured: 3, workers: 4, batched: false, cpus: 2 })).toBe(3);
    expect(runsInFlight({ configured: 1, workers: 4, batched: false, cpus: 4 })).toBe(1);
  });
});

describe('unbatchedSessions', () => {
  it('gives each unbatched run a thread per CPU, queued on one worker, unless a count is configured', () => {
    expect(unbatchedSessions({ configured: 0, cpus: 2 })).toEqual({
      settings: { intraOpThreads: 2 },
      queueRuns: true,
    });
    expect(unbatchedSessions({ configured: 0, cpus: 16 }).settings.intraOpThreads).toBe(16);
    expect(unbatchedSessions({ configured: 1, cpus: 8 })).toEqual({
      settings: { intraOpThreads: 1 },
      queueRuns: false,
    });
  });
});

describe('threadsPerRun', () => {
  it('gives each run a thread per CPU unless a count is configured', () => {
    expect(threadsPerRun({ configured: 0, cpus: 2 })).toBe(2);
    expect(threadsPerRun({ configured: 3, cpus: 2 })).toBe(3);
  });
});

describe('sessionSettings', () => {
  const config = { ML_INTRA_OP_THREADS: 1, ML_UNBATCHED_INTRA_OP_THREADS: 0, ML_THREAD_SPINNING: false };

  it('sizes each kind of run from its own setting', () => {
    expect(sessionSettings(config, 4)).toEqual({
      batched: { intraOpThreads: 1, spinning: false },
      unbatched: { settings: { intraOpThreads: 4, spinning: false }, queueRuns: true },
      inline: { intraOpThreads: 4, spinning: false },
    });
  });

  it('passes ML_THREAD_SPINNING to batched, unbatched and event-loop sessions alike', () => {
    const s = sessionSettings({ ...config, ML_THREAD_SPINNING: true }, 2);
    expect([s.batched.spinning, s.unbatched.settings.spinning, s.inline.spinning]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
