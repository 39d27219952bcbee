import { availableParallelism } from 'node:os';

/**
 * How many runs of one version may go at once, from `ML_MAX_RUNS_IN_FLIGHT` (0 = sized by the
 * CPUs) and the worker count, which bounds it.
 *
 * Batched, one core is left to the event loop by default: on 2 CPUs, two concurrent runs of a
 * large model plus the HTTP thread oversubscribe the cores (and share the memory bandwidth), so
 * each run and each request gets slower, while a single running batch absorbs the concurrent
 * requests anyway. Other versions still use the other workers.
 *
 * Unbatched, each request is its own run, and one run at a time would leave cores idle while
 * requests wait: as many runs as there are CPUs go at once.
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
