import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EncodedResponse } from './infer-response.js';
import { type TensorMap, transferables } from './tensor.js';
import type {
  EncodeJob,
  IoMetadata,
  OutputSizeInfo,
  RunLimits,
  SessionSettings,
  WorkerErrorCode,
  WorkerRequest,
  WorkerResponse,
} from './worker-protocol.js';

/**
 * A fixed pool of inference workers. Every loaded model is loaded in every worker (each
 * has its own sessions), so any idle worker can take any run; tasks go to the worker with
 * the fewest outstanding ones. A crashed worker is replaced and its models reloaded.
 *
 * A run may carry a time limit, counted from when its worker starts on it (a worker takes its
 * tasks in order). A run past its limit fails with RunTimeoutError and its worker is replaced
 * at once, so the pool keeps its capacity. onnxruntime cannot stop a run midway, and ending a
 * thread inside a native run aborts the whole process, so the old worker is only told to retire
 * (a shared flag): it exits by itself as soon as that run returns. The tasks queued behind it
 * fail with WorkerLostError.
 */

export interface WorkerPoolOptions {
  size: number;
  settings: SessionSettings;
  /** Linux nice value of the worker threads (0 leaves them at the process's priority). */
  niceness?: number;
  onWorkerError?: (err: Error) => void;
}

export interface LoadResult {
  inputs: IoMetadata[];
  outputs: IoMetadata[];
}

export interface RunResult {
  outputs: TensorMap;
  runMs: number;
}

export interface RunOptions {
  /** Fail the run (and replace its worker) when it runs longer than this. */
  timeoutMs?: number;
  limits?: RunLimits;
}

/** A task the worker refused, with the kind of refusal when the caller can act on it. */
export class WorkerTaskError extends Error {
  constructor(
    message: string,
    readonly code?: WorkerErrorCode,
    readonly size?: OutputSizeInfo,
  ) {
    super(message);
  }
}

export class RunTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the run did not finish within ${timeoutMs} ms`);
  }
}

/** The worker went away (replaced after another task's timeout, or crashed) before answering. */
export class WorkerLostError extends Error {}

export interface WorkerPool {
  readonly size: number;
  load(key: string, model: Uint8Array): Promise<LoadResult>;
  unload(key: string): Promise<void>;
  run(key: string, feeds: TensorMap, options?: RunOptions): Promise<RunResult>;
  /** Writes an answer on a worker (for large ones). */
  encode(job: EncodeJob, transfer?: ArrayBuffer[]): Promise<EncodedResponse>;
  /** Occupies one worker for `ms` (test hook for event-loop responsiveness and time limits). */
  sleep(ms: number, options?: { timeoutMs?: number }): Promise<void>;
  /** Tasks sent to workers and not answered yet. */
  pending(): number;
  /** Workers replaced so far (crashed, or stopped after a run past its time limit). */
  replaced(): number;
  close(): Promise<void>;
}

type Pending = {
  resolve: (r: WorkerResponse & { ok: true }) => void;
  reject: (e: Error) => void;
  timeoutMs: number | undefined;
};
type Slot = {
  worker: Worker;
  pending: Map<number, Pending>;
  order: number[];
  timer?: NodeJS.Timeout;
  /** Set to 1 to make the worker exit after its current task (see inference-worker.ts). */
  retired: Int32Array;
  exited: Promise<void>;
};

type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/**
 * Starts a worker: the compiled .js in a build; from source (tsx, vitest) a tiny bootstrap
 * registers tsx inside the worker first, because loader flags in `execArgv` do not reach
 * worker threads on Node 20.
 */
function startWorker(workerData: { niceness: number; retired: Int32Array }): Worker {
  const js = new URL('./inference-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL('./inference-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })
    .catch((e) => { console.error(e); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** How long close() lets a busy worker finish its run before stopping it. */
const CLOSE_WAIT_MS = 30_000;

export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  if (!Number.isInteger(opts.size) || opts.size < 1)
    throw new Error(`worker pool size must be >= 1, got ${opts.size}`);
  const models = new Map<string, Uint8Array>();
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;
  let replacedCount = 0;

  /** Starts the time limit of the task at the head of a worker's queue, if it has one. */
  const armHead = (slot: Slot, index: number) => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    const head = slot.order[0];
    const task = head === undefined ? undefined : slot.pending.get(head);
    if (!task?.timeoutMs) return;
    slot.timer = setTimeout(() => {
      if (slots[index] !== slot || slot.order[0] !== head) return;
      slot.pending.delete(head!);
      slot.order.shift();
      task.reject(new RunTimeoutError(task.timeoutMs!));
      replace(
        index,
        slot,
        new WorkerLostError('the worker was replaced after a run exceeded its time limit'),
      );
    }, task.timeoutMs);
  };

  const send = (slot: Slot, body: RequestBody, transfer: ArrayBuffer[] = [], timeoutMs?: number) =>
    new Promise<WorkerResponse & { ok: true }>((resolve, reject) => {
      if (closed) return reject(new Error('worker pool is closed'));
      const id = nextId++;
      slot.pending.set(id, { resolve, reject, timeoutMs });
      slot.order.push(id);
      if (slot.order.length === 1) armHead(slot, slots.indexOf(slot));
      // Keep the process alive while a task is out, and only then (an idle pool never holds it open).
      slot.worker.ref();
      slot.worker.postMessage({ ...body, id } as WorkerRequest, transfer);
    });

  const replace = (index: number, slot: Slot, err: Error) => {
    if (slot.timer) clearTimeout(slot.timer);
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    slot.order = [];
    Atomics.store(slot.retired, 0, 1);
    slot.worker.unref();
    if (closed || slots[index] !== slot) return;
    opts.onWorkerError?.(err);
    replacedCount++;
    const replacement = spawn(index);
    slots[index] = replacement;
    for (const [key, model] of models) {
      send(replacement, { type: 'load', key, model, settings: opts.settings }).catch((e: Error) =>
        opts.onWorkerError?.(e),
      );
    }
  };

  const spawn = (index: number): Slot => {
    const retired = new Int32Array(new SharedArrayBuffer(4));
    const worker = startWorker({ niceness: opts.niceness ?? 0, retired });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const slot: Slot = { worker, pending: new Map(), order: [], retired, exited };
    worker.on('message', (res: WorkerResponse) => {
      const p = slot.pending.get(res.id);
      if (!p) return;
      slot.pending.delete(res.id);
      const at = slot.order.indexOf(res.id);
      if (at >= 0) slot.order.splice(at, 1);
      if (at === 0) armHead(slot, index);
      if (slot.pending.size === 0) worker.unref();
      if (res.ok) p.resolve(res);
      else p.reject(new WorkerTaskError(res.error, res.code, res.size));
    });
    const fail = (err: Error) => replace(index, slot, new WorkerLostError(err.message));
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`inference worker exited with code ${code}`)));
    worker.unref();
    return slot;
  };

  for (let i = 0; i < opts.size; i++) slots.push(spawn(i));

  const leastBusy = (): Slot => slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));

  return {
    size: opts.size,
    async load(key, model) {
      models.set(key, model);
      try {
        const results = await Promise.all(
          slots.map((s) => send(s, { type: 'load', key, model, settings: opts.settings })),
        );
        return { inputs: results[0]!.inputs ?? [], outputs: results[0]!.outputsMeta ?? [] };
      } catch (err) {
        models.delete(key);
        await Promise.allSettled(slots.map((s) => send(s, { type: 'unload', key })));
        throw err;
      }
    },
    async unload(key) {
      models.delete(key);
      await Promise.all(slots.map((s) => send(s, { type: 'unload', key })));
    },
    async run(key, feeds, options = {}) {
      const res = await send(
        leastBusy(),
        { type: 'run', key, feeds, ...(options.limits ? { limits: options.limits } : {}) },
        transferables(feeds),
        options.timeoutMs,
      );
      return { outputs: res.outputs ?? {}, runMs: res.runMs ?? 0 };
    },
    async encode(job, transfer = []) {
      const res = await send(leastBusy(), { type: 'encode', job }, transfer);
      const { body, headerLength } = res.encoded!;
      return {
        body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
        ...(headerLength !== undefined ? { headerLength } : {}),
      };
    },
    async sleep(ms, options = {}) {
      await send(leastBusy(), { type: 'sleep', ms }, [], options.timeoutMs);
    },
    pending: () => slots.reduce((n, s) => n + s.pending.size, 0),
    replaced: () => replacedCount,
    async close() {
      if (closed) return;
      closed = true;
      const closing = new Error('worker pool is closed');
      await Promise.all(
        slots.map(async (s) => {
          if (s.timer) clearTimeout(s.timer);
          const busy = s.pending.size > 0;
          for (const p of s.pending.values()) p.reject(closing);
          s.pending.clear();
          Atomics.store(s.retired, 0, 1);
          // An idle worker can be stopped now; a busy one may be inside a native run, so it
          // exits by itself when that returns (bounded, then stopped regardless).
          if (busy) {
            await Promise.race([s.exited, new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
          }
          await s.worker.terminate();
        }),
      );
    },
  };
}
