import { type Dispatcher, getGlobalDispatcher } from 'undici';
import type { UpstreamInstance } from './upstream-instance.js';
import type { UpstreamPool } from './upstream-pool.js';

/** Asks one instance whether it is ready: true on a 2xx answer within the timeout. */
export type Probe = (url: string, path: string, timeoutMs: number) => Promise<boolean>;

export interface ActiveHealthOptions {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed probes that take an instance out (one slow probe on a busy host must not). */
  failures?: number;
  /** When false only the instance list is refreshed; nothing is probed. */
  probe?: boolean;
  /** How a probe is sent; by default over undici's global dispatcher. */
  send?: Probe;
  /** Refreshes the pool's instance list from discovery before each round. */
  resolve?: () => Promise<readonly string[]> | readonly string[];
  onChange?: (url: string, healthy: boolean) => void;
  /** Where in the first slot the first probe goes, 0 to 1 (tests); random by default. */
  phase?: number;
}

/**
 * One probe through undici's handler interface: the answer's headers give the verdict and its
 * body is dropped as it arrives, with no stream, Response or AbortSignal made for it. Global
 * fetch made all three per probe; at 203 instances every 5 s that was 40 of each a second on
 * the gateway's thread, in a burst.
 */
export function probeOver(
  dispatcher: Dispatcher,
  origin: string | undefined,
  path: string,
  timeoutMs: number,
) {
  return new Promise<boolean>((resolve) => {
    let status = 0;
    try {
      dispatcher.dispatch(
        { origin, path, method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        {
          onConnect() {},
          onHeaders(statusCode) {
            status = statusCode;
            return true;
          },
          onData() {
            return true;
          },
          onComplete() {
            resolve(status >= 200 && status < 300);
          },
          onError() {
            resolve(false);
          },
        },
      );
    } catch {
      resolve(false);
    }
  });
}

const globalProbe: Probe = (url, path, timeoutMs) => {
  const parsed = new URL(url);
  return probeOver(
    getGlobalDispatcher(),
    parsed.origin,
    parsed.pathname.replace(/\/+$/, '') + path,
    timeoutMs,
  );
};

/**
 * Polls every instance's readiness endpoint and marks it in or out of rotation. Each instance
 * is probed once per interval, the probes spread evenly over it (one every interval / n ms,
 * starting at a random point of the first slot) rather than all at once: 200 instances every
 * 5 s are one probe each 25 ms, not a burst of 200 requests, timers and parses that stalls the
 * requests being proxied at that moment, and gateways started together do not probe in step.
 * An instance whose last probe is still out is not probed again. The instance list is refreshed
 * from discovery at the start of each pass. The timer does not keep the process alive.
 * `round()` probes every instance now (tests, and the admin endpoint's refresh).
 */
export function startActiveHealth(
  pool: UpstreamPool,
  options: ActiveHealthOptions,
): { stop(): void; round(): Promise<void> } {
  const send = options.send ?? globalProbe;
  const threshold = options.failures ?? 1;
  const outstanding = new WeakSet<UpstreamInstance>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pass: readonly UpstreamInstance[] = [];
  let cursor = 0;

  const refresh = async () => {
    if (!options.resolve) return;
    try {
      pool.setInstances(await options.resolve());
    } catch {
      // Discovery down: keep probing the last known instances.
    }
  };

  const check = async (instance: UpstreamInstance) => {
    outstanding.add(instance);
    const ok = await send(instance.url, options.path, options.timeoutMs);
    outstanding.delete(instance);
    instance.probeFailures = ok ? 0 : instance.probeFailures + 1;
    const healthy = ok || (instance.activeHealthy && instance.probeFailures < threshold);
    if (healthy === instance.activeHealthy) return;
    instance.activeHealthy = healthy;
    pool.changed();
    // A recovered instance starts clean rather than on probation from old failures.
    if (healthy) {
      instance.consecutiveFailures = 0;
      instance.ejectedUntil = 0;
    }
    options.onChange?.(instance.url, healthy);
  };

  const round = async () => {
    await refresh();
    if (options.probe === false) return;
    await Promise.all(pool.instances.map(check));
  };

  const slot = () => options.intervalMs / Math.max(1, pass.length);
  const tick = async () => {
    if (stopped) return;
    if (cursor >= pass.length) {
      await refresh();
      if (stopped) return;
      pass = options.probe === false ? [] : pool.instances;
      cursor = 0;
    }
    const instance = pass[cursor++];
    if (instance && !outstanding.has(instance)) void check(instance);
    timer = setTimeout(tick, pass.length === 0 ? options.intervalMs : slot()).unref();
  };
  pass = options.probe === false ? [] : pool.instances;
  cursor = pass.length; // the first tick starts a pass with a refresh
  timer = setTimeout(tick, (options.phase ?? Math.random()) * slot()).unref();
  return {
    round,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
