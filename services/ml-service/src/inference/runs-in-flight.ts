import { availableParallelism } from 'node:os';
import type { SessionSettings } from './worker-protocol.js';

/**
 * How many runs of one version may go at once, from `ML_MAX_RUNS_IN_FLIGHT` (0 = sized by the
 * CPUs) and the worker count, which bounds it.
 *
 * Batched, one core is left to the event loop by default: on 2 CPUs, two concurrent runs of a
 * large model plus the HTTP thread oversubscribe the cores (and share the memory bandwidth), so
 * each run and each request gets slower, while a single running batch absorbs the concurrent
 * requests anyway. Other versions still use the other workers.
 *
 * Unbatched, each request is its own run, and one run at a time would leave a worker idle
 * between runs while the answer travels back: as many runs as there are CPUs are sent at once
 * (when each run has every core's threads they queue on one worker and go in turn; see
 * worker-pool.ts).
 *
 * @example
 * runsInFlight({ configured: 0, workers: 2, batched: false, cpus: 2 }) // 2
 * runsInFlight({ configured: 0, workers: 2, batched: true, cpus: 2 }) // 1
 */
export function runsInFlight(opts: {
  configured: number;
  workers: number;
  batched: boolean;
  cpus?: number;
}): number {
  const cpus = opts.cpus ?? availableParallelism();
  const wanted = opts.configured > 0 ? opts.configured : opts.batched ? cpus - 1 : cpus;
  return Math.max(1, Math.min(opts.workers, wanted));
}

/**
 * onnxruntime threads per run, from `ML_INTRA_OP_THREADS` or `ML_UNBATCHED_INTRA_OP_THREADS`
 * (0 = one per CPU). A single-row run of a 21 MB MLP took 0.47 ms on 2 threads and 0.83 ms on 1
 * (2 cores, bench/ml/ab-threads.ts); batched at 64 connections, 2 threads per run kept the rows/s
 * of 1 (1,281 vs 1,283 in alternating rounds, bench/ml/run.ts with BENCH_ML_COMPARE).
 *
 * @example
 * threadsPerRun({ configured: 0, cpus: 2 }) // 2
 * threadsPerRun({ configured: 1, cpus: 8 }) // 1
 */
export function threadsPerRun(opts: { configured: number; cpus?: number }): number {
  return opts.configured > 0 ? opts.configured : (opts.cpus ?? availableParallelism());
}

/**
 * How a version that is not batched is loaded, from `ML_UNBATCHED_INTRA_OP_THREADS`. Runs with
 * a thread per CPU each take every core, so one version's runs queue on one worker rather than
 * oversubscribe the cores (see worker-pool.ts).
 *
 * @example
 * unbatchedSessions({ configured: 0, cpus: 2 }) // { settings: { intraOpThreads: 2 }, queueRuns: true }
 * unbatchedSessions({ configured: 1, cpus: 8 }) // { settings: { intraOpThreads: 1 }, queueRuns: false }
 */
export function unbatchedSessions(opts: { configured: number; cpus?: number }): {
  settings: { intraOpThreads: number };
  queueRuns: boolean;
} {
  const cpus = opts.cpus ?? availableParallelism();
  const threads = threadsPerRun({ configured: opts.configured, cpus });
  return { settings: { intraOpThreads: threads }, queueRuns: threads >= cpus };
}

/**
 * The session settings of every kind of run, from the service's configuration: batched runs (the
 * pool's default), unbatched ones and those on the event loop (which share the unbatched thread
 * count), all spinning or not as `ML_THREAD_SPINNING` says.
 */
export function sessionSettings(
  config: {
    ML_INTRA_OP_THREADS: number;
    ML_UNBATCHED_INTRA_OP_THREADS: number;
    ML_THREAD_SPINNING: boolean;
  },
  cpus?: number,
): {
  batched: SessionSettings;
  unbatched: { settings: SessionSettings; queueRuns: boolean };
  inline: SessionSettings;
} {
  const spinning = config.ML_THREAD_SPINNING;
  const unbatched = unbatchedSessions({ configured: config.ML_UNBATCHED_INTRA_OP_THREADS, cpus });
  return {
    batched: { intraOpThreads: threadsPerRun({ configured: config.ML_INTRA_OP_THREADS, cpus }), spinning },
    unbatched: { ...unbatched, settings: { ...unbatched.settings, spinning } },
    inline: { ...unbatched.settings, spinning },
  };
}
