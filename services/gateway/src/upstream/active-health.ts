import type { UpstreamPool } from './upstream-pool.js';

export interface ActiveHealthOptions {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed probes that take an instance out (one slow probe on a busy host must not). */
  failures?: number;
  /** When false only the instance list is refreshed; nothing is probed. */
  probe?: boolean;
  /** Refreshes the pool's instance list from discovery before each round. */
  resolve?: () => Promise<readonly string[]> | readonly string[];
  onChange?: (url: string, healthy: boolean) => void;
}

/**
 * Polls every instance's readiness endpoint and marks it in or out of rotation. Returns a
 * stop function; rounds never overlap, and the timer does not keep the process alive.
 */
export function startActiveHealth(
  pool: UpstreamPool,
  options: ActiveHealthOptions,
): { stop(): void; round(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const probe = async (url: string): Promise<boolean> => {
    try {
      const res = await fetch(url + options.path, { signal: AbortSignal.timeout(options.timeoutMs) });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  };

  const round = async () => {
    if (options.resolve) {
      try {
        pool.setInstances(await options.resolve());
      } catch {
        // Discovery down: keep probing the last known instances.
      }
    }
    if (options.probe === false) return;
    await Promise.all(
      pool.instances.map(async (instance) => {
        const ok = await probe(instance.url);
        instance.probeFailures = ok ? 0 : instance.probeFailures + 1;
        const healthy = ok || (instance.activeHealthy && instance.probeFailures < (options.failures ?? 1));
        if (healthy !== instance.activeHealthy) {
          instance.activeHealthy = healthy;
          pool.changed();
          // A recovered instance starts clean rather than on probation from old failures.
          if (healthy) {
            instance.consecutiveFailures = 0;
            instance.ejectedUntil = 0;
          }
          options.onChange?.(instance.url, healthy);
        }
      }),
    );
  };

  const loop = async () => {
    if (stopped) return;
    await round();
    if (!stopped) timer = setTimeout(loop, options.intervalMs).unref();
  };
  timer = setTimeout(loop, options.intervalMs).unref();
  return {
    round,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
