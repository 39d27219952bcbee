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
 * the fewest outstanding ones. A model loaded with `queueRuns` (the loader's choice for a
 * version that is not batched, whose sessions get a thread per core) is run differently: a run
 * of it that some worker is already running queues behind it there, so its runs go one after
 * another on one worker, each on every core, and the next starts the moment the last returns,
 * with no trip through the event loop in between. Measured on 2 cores with a 21 MB MLP at
 * batch 1 (bench/ml/ab-pool.ts), two runs queued on one 2-thread worker did 2.6x the rows/s of
 * two 1-thread runs at once on two workers, whose two copies of the weights do not both stay
 * in the cache; one run alone took 0.47 ms instead of 0.83. Other versions still go to the
 * other workers. A crashed worker is replaced and its models reloaded.
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

export interface LoadOptions {
  /** This model's session settings, over the pool's. */
  settings?: SessionSettings;
  /** Its runs queue on the worker already running it (see above). */
  queueRuns?: boolean;
}

export interface LoadResult {
  inputs: IoMetadata[];
  outputs: IoMetadata[];
}

export interface RunResult {
  outputs: TensorMap;
  runMs: number;
  /** Index of the worker that ran it. */
  worker: number;
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
  load(key: string, model: Uint8Array, options?: LoadOptions): Promise<LoadResult>;
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
  /** The model key of a run (runs of one key queue on one worker). */
  key?: string;
};
type Slot = {
  worker: Worker;
  pending: Map<number, Pending>;
  /** Runs sent to this worker and not answered yet, by model key. */
  runs: Map<string, number>;
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
  const models = new Map<string, { model: Uint8Array; settings: SessionSettings; queueRuns: boolean }>();
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
      settle(slot, task);
      task.reject(new RunTimeoutError(task.timeoutMs!));
      replace(
        index,
        slot,
        new WorkerLostError('the worker was replaced after a run exceeded its time limit'),
      );
    }, task.timeoutMs);
  };

  const settle = (slot: Slot, task: Pending) => {
    if (task.key === undefined) return;
    const left = (slot.runs.get(task.key) ?? 1) - 1;
    if (left > 0) slot.runs.set(task.key, left);
    else slot.runs.delete(task.key);
  };

  const send = (slot: Slot, body: RequestBody, transfer: ArrayBuffer[] = [], timeoutMs?: number) =>
    new Promise<WorkerResponse & { ok: true }>((resolve, reject) => {
      if (closed) return reject(new Error('worker pool is closed'));
      const id = nextId++;
      const key = body.type === 'run' ? body.key : undefined;
      if (key !== undefined) slot.runs.set(key, (slot.runs.get(key) ?? 0) + 1);
      slot.pending.set(id, { resolve, reject, timeoutMs, ...(key !== undefined ? { key } : {}) });
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
    slot.runs.clear();
    slot.order = [];
    Atomics.store(slot.retired, 0, 1);
    slot.worker.unref();
    if (closed || slots[index] !== slot) return;
    opts.onWorkerError?.(err);
    replacedCount++;
    const replacement = spawn(index);
    slots[index] = replacement;
    for (const [key, { model, settings }] of models) {
      send(replacement, { type: 'load', key, model, settings }).catch((e: Error) => opts.onWorkerError?.(e));
    }
  };

  const spawn = (index: number): Slot => {
    const retired = new Int32Array(new SharedArrayBuffer(4));
    const worker = startWorker({ niceness: opts.niceness ?? 0, retired });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const slot: Slot = { worker, pending: new Map(), runs: new Map(), order: [], retired, exited };
    worker.on('message', (res: WorkerResponse) => {
      const p = slot.pending.get(res.id);
      if (!p) return;
      slot.pending.delete(res.id);
      settle(slot, p);
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
  const runnerOf = (key: string): Slot =>
    (models.get(key)?.queueRuns ? slots.find((s) => s.runs.has(key)) : undefined) ?? leastBusy();

  return {
    size: opts.size,
    async load(key, model, options = {}) {
      const settings = options.settings ?? opts.settings;
      models.set(key, { model, settings, queueRuns: options.queueRuns ?? false });
      try {
        const results = await Promise.all(slots.map((s) => send(s, { type: 'load', key, model, settings })));
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
      const slot = runnerOf(key);
      const res = await send(
        slot,
        { type: 'run', key, feeds, ...(options.limits ? { limits: options.limits } : {}) },
        transferables(feeds),
        options.timeoutMs,
      );
      return { outputs: res.outputs ?? {}, runMs: res.runMs ?? 0, worker: slots.indexOf(slot) };
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
