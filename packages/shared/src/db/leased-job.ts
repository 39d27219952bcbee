import type { QueryExecutorProvider } from 'kysely';
import type { DatabaseSession } from './database.js';
import { type Lease, startLease } from './lease.js';

export interface LeasedJob {
  readonly lease: Lease;
  /** Runs the work now if this replica holds the lease (true), else does nothing (false). */
  runNow(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Periodic work that must happen once across replicas (a retention purge): at start and every
 * `everyMs` the replica holding lease `name` runs `work`; the others stand by to take the lease
 * over when its holder goes.
 * Runs never overlap in one replica; a failing run is reported to `onError` and tried again at
 * the next interval.
 *
 * @example
 * const job = await startLeasedJob(database, 'auth-retention', {
 *   holder: instance, everyMs: 3_600_000, work: () => purgeRevoked(cutoff()),
 * });
 * app.addHook('preClose', () => job.close());
 */
export async function startLeasedJob(
  database: { db: QueryExecutorProvider; openSession(): Promise<DatabaseSession> },
  name: string,
  options: {
    holder: string;
    everyMs: number;
    work: () => Promise<unknown>;
    onError?: (err: unknown) => void;
    /** How often a replica without the lease tries to take it (the lease's default, 1 s). */
    retryMs?: number;
  },
): Promise<LeasedJob> {
  const lease = await startLease(database, name, {
    holder: options.holder,
    ...(options.retryMs ? { retryMs: options.retryMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  let running: Promise<boolean> | null = null;
  const runNow = (): Promise<boolean> => {
    if (!lease.held) return Promise.resolve(false);
    running ??= options
      .work()
      .then(() => true)
      .finally(() => {
        running = null;
      });
    return running;
  };
  const tick = () => {
    void runNow().catch((err) => options.onError?.(err));
  };
  // Once at start too: a replica restarted more often than `everyMs` would otherwise never run it.
  tick();
  const timer = setInterval(tick, options.everyMs);
  timer.unref();
  return {
    lease,
    runNow,
    async close() {
      clearInterval(timer);
      await running?.catch(() => {});
      await lease.close();
    },
  };
}
