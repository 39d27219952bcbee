import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type TensorMap, transferables } from './tensor.js';
import type { IoMetadata, SessionSettings, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/**
 * A fixed pool of inference workers. Every loaded model is loaded in every worker (each
 * has its own sessions), so any idle worker can take any run; runs go to the worker with
 * the fewest outstanding tasks. A crashed worker is replaced and its models reloaded.
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

export interface WorkerPool {
  readonly size: number;
  load(key: string, model: Uint8Array): Promise<LoadResult>;
  unload(key: string): Promise<void>;
  run(key: string, feeds: TensorMap): Promise<RunResult>;
  /** Occupies one worker for `ms` (test hook for event-loop responsiveness). */
  sleep(ms: number): Promise<void>;
  /** Tasks sent to workers and not answered yet. */
  pending(): number;
  close(): Promise<void>;
}

type Pending = { resolve: (r: WorkerResponse & { ok: true }) => void; reject: (e: Error) => void };
type Slot = { worker: Worker; pending: Map<number, Pending> };

type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/**
 * Starts a worker: the compiled .js in a build; from source (tsx, vitest) a tiny bootstrap
 * registers tsx inside the worker first, because loader flags in `execArgv` do not reach
 * worker threads on Node 20.
 */
function startWorker(workerData: { niceness: number }): Worker {
  const js = new URL('./inference-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL('./inference-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(ts)}); })
    .catch((e) => { console.error(e); process.exit(1); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  if (!Number.isInteger(opts.size) || opts.size < 1)
    throw new Error(`worker pool size must be >= 1, got ${opts.size}`);
  const models = new Map<string, Uint8Array>();
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  const send = (slot: Slot, body: RequestBody, transfer: ArrayBuffer[] = []) =>
    new Promise<WorkerResponse & { ok: true }>((resolve, reject) => {
      if (closed) return reject(new Error('worker pool is closed'));
      const id = nextId++;
      slot.pending.set(id, { resolve, reject });
      // Keep the process alive while a task is out, and only then (an idle pool never holds it open).
      slot.worker.ref();
      slot.worker.postMessage({ ...body, id } as WorkerRequest, transfer);
    });

  const spawn = (index: number): Slot => {
    const worker = startWorker({ niceness: opts.niceness ?? 0 });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (res: WorkerResponse) => {
      const p = slot.pending.get(res.id);
      if (!p) return;
      slot.pending.delete(res.id);
      if (slot.pending.size === 0) worker.unref();
      if (res.ok) p.resolve(res);
      else p.reject(new Error(res.error));
    });
    const fail = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (closed || slots[index] !== slot) return;
      opts.onWorkerError?.(err);
      const replacement = spawn(index);
      slots[index] = replacement;
      for (const [key, model] of models) {
        send(replacement, { type: 'load', key, model, settings: opts.settings }).catch((e: Error) =>
          opts.onWorkerError?.(e),
        );
      }
    };
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
    async run(key, feeds) {
      const res = await send(leastBusy(), { type: 'run', key, feeds }, transferables(feeds));
      return { outputs: res.outputs ?? {}, runMs: res.runMs ?? 0 };
    },
    async sleep(ms) {
      await send(leastBusy(), { type: 'sleep', ms });
    },
    pending: () => slots.reduce((n, s) => n + s.pending.size, 0),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
      for (const s of slots) for (const p of s.pending.values()) p.reject(new Error('worker pool is closed'));
    },
  };
}
