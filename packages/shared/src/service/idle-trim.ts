import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleTrimOptions {
  /** How long the event loop must stay quiet before the collection (default 10 s). */
  quietMs?: number;
  /** Event-loop utilisation below which an interval counts as quiet (default 0.02). */
  quietUtilization?: number;
  /** Runs the collection; a full V8 collection by default (tests pass their own). */
  collect?: () => void;
}

let fullCollection: (() => void) | undefined;

/**
 * V8's `gc()`, reached the one way Node leaves open to a running process: the flag, then a
 * fresh context that the flag equips with the function.
 */
function v8Collection(): () => void {
  if (!fullCollection) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  return fullCollection;
}

/**
 * Runs one full garbage collection each time the process goes quiet after work: start-up, then
 * after every burst. V8 grows the young generation to 16 MiB per semi-space for a burst of
 * allocation (PGlite's start, migrations, schema compilation) and only shrinks it in a full
 * collection that finds the allocation rate low; an idle service often never runs one, so the
 * 32 MiB stayed resident (auth-service on PGlite: 187-190 MB idle, 155-157 MB after one such
 * collection). Quiet means event-loop utilisation below `quietUtilization` over `quietMs`, so
 * health probes and scrapes do not count as work. The timer does not hold the process open.
 *
 * @example
 * const stop = startIdleTrim(); // in serve(); stop() on close
 */
export function startIdleTrim(options: IdleTrimOptions = {}): () => void {
  const quietMs = options.quietMs ?? 10_000;
  const quietUtilization = options.quietUtilization ?? 0.02;
  const collect = options.collect ?? v8Collection();
  let last = performance.eventLoopUtilization();
  // Start-up was work: the first quiet interval collects.
  let workedSinceCollection = true;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    if (busy >= quietUtilization) {
      workedSinceCollection = true;
      return;
    }
    if (!workedSinceCollection) return;
    workedSinceCollection = false;
    collect();
  }, quietMs);
  timer.unref();
  return () => clearInterval(timer);
}
