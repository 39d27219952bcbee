import { performance } from 'node:perf_hooks';
import { notShapeBound } from '../onnx/shape-bound-ops.js';
import type { TensorSignature } from '../onnx/signature-reader.js';
import { type OpenSession, openSession, runSession, SessionTaskError } from './session-runner.js';
import type { TensorMap } from './tensor.js';
import { WorkerTaskError } from './worker-pool.js';
import type { RunLimits, SessionSettings } from './worker-protocol.js';

/**
 * Single-row runs of a small model on the event loop while the service is otherwise idle, as the
 * plain server a user would write does: a lone request then skips the hand-off to a worker and
 * back (two thread wake-ups, 0.15 ms measured to a worker gone idle) and gets the run's result
 * on the thread that answers. onnxruntime-node's `run` is synchronous on the calling thread, so
 * a run here holds the event loop for its whole length; it is only taken when:
 *
 * - the version is made only of ops whose work follows from input shapes (shape-bound-ops.ts),
 *   every input has a fixed shape past the first dimension, and the request has one row: so it
 *   costs what the single-row runs timed at load cost, which must be at most `maxRunMs`;
 * - none of the version's runs is out, none of its requests came while another ran in the last
 *   second, and the event loop has waited for input since its last answer: requests from several
 *   clients at once go to the workers, which run while the loop serves HTTP.
 *
 * Anything else goes to the workers as before, with their time limit.
 */

export interface InlineSettings {
  /** Longest single-row run, timed at load, that may go on the event loop; 0 turns this off. */
  maxRunMs: number;
  session: SessionSettings;
}

export type RunAnswer = { outputs: TensorMap; runMs: number };

export interface InlineRunner {
  /** Runs one request's feeds here when it may go here now, else through `onWorkers`. */
  run<R extends RunAnswer>(
    feeds: TensorMap,
    limits: RunLimits,
    onWorkers: () => Promise<R>,
  ): Promise<RunAnswer>;
  release(): Promise<void>;
}

/**
 * How long requests that overlap keep a version's runs on the workers. Several clients at once
 * leave moments with no run out (all answers on their way back); a run taken here then would
 * hold every other client's next request for its whole length.
 */
const OVERLAP_MEMORY_MS = 1000;

/** Idle time of the event loop so far, in ms (what libuv counts while waiting for I/O). */
const idleMs = () => performance.eventLoopUtilization().idle;

/** Why a version's runs never go on the event loop, or undefined when they may. */
export function inlineBlocker(
  model: Uint8Array,
  inputs: readonly TensorSignature[],
  settings: InlineSettings,
  timeoutMs: number,
): string | undefined {
  if (settings.maxRunMs <= 0) return 'off';
  if (timeoutMs <= settings.maxRunMs * 10) return 'time limit too short';
  if (inputs.length === 0) return 'no inputs';
  for (const i of inputs) {
    if (i.dims.length === 0 || i.dims.slice(1).some((d) => !('value' in d) || d.value <= 0))
      return `input "${i.name}" has no fixed shape past its first dimension`;
  }
  const op = notShapeBound(model);
  return op === undefined ? undefined : `op ${op}`;
}

/** The single-row feeds inline runs take: every input with 1 in its first dimension. */
function rowShapes(inputs: readonly TensorSignature[]): Map<string, string> {
  return new Map(
    inputs.map((i) => [i.name, [1, ...i.dims.slice(1).map((d) => ('value' in d ? d.value : 0))].join(',')]),
  );
}

/**
 * A main-thread session of the version, when its single-row run (median of a few, after one to
 * warm up) is within `maxRunMs`; undefined otherwise.
 */
export async function openInlineRunner(
  model: Uint8Array,
  inputs: readonly TensorSignature[],
  sample: TensorMap,
  settings: InlineSettings,
): Promise<InlineRunner | undefined> {
  const open: OpenSession = await openSession(model, settings.session);
  const shapes = rowShapes(inputs);
  const fits = (feeds: TensorMap) => {
    const names = Object.keys(feeds);
    return names.length === shapes.size && names.every((n) => shapes.get(n) === feeds[n]!.dims.join(','));
  };
  try {
    if (!fits(sample)) throw new Error('sample is not a single row');
    const times: number[] = [];
    for (let i = 0; i < 6; i++) times.push((await runSession(open, sample)).runMs);
    times.shift();
    times.sort((a, b) => a - b);
    if (times[Math.floor(times.length / 2)]! > settings.maxRunMs) throw new Error('too slow');
  } catch {
    await open.session.release().catch(() => undefined);
    return undefined;
  }
  /** Runs of the version not answered yet, here or on the workers. */
  let running = 0;
  let idleAtAnswer = idleMs();
  /** When a request of the version last came while another was running (-Infinity: never). */
  let overlapAt = Number.NEGATIVE_INFINITY;
  let released = false;
  const here = (feeds: TensorMap, limits: RunLimits) =>
    runSession(open, feeds, limits).catch((err: Error) => {
      // The same errors a worker's run gives, so callers answer alike wherever it ran.
      if (err instanceof SessionTaskError) throw new WorkerTaskError(err.message, err.code, err.size);
      throw new WorkerTaskError(err.message);
    });
  return {
    async run(feeds, limits, onWorkers) {
      const now = performance.now();
      if (running > 0) overlapAt = now;
      const inline =
        !released &&
        running === 0 &&
        now - overlapAt > OVERLAP_MEMORY_MS &&
        idleMs() > idleAtAnswer &&
        fits(feeds);
      running++;
      try {
        return await (inline ? here(feeds, limits) : onWorkers());
      } finally {
        running--;
        idleAtAnswer = idleMs();
      }
    },
    async release() {
      released = true;
      // A run already started here finishes first: the session is released once none is left.
      while (running > 0) await new Promise((r) => setTimeout(r, 5));
      await open.session.release().catch(() => undefined);
    },
  };
}
