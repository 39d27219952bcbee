import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { encodeInferResponse, OutputTooLargeError, ShapeMismatchError } from './infer-response.js';
import { type OpenSession, openSession, runSession, SessionTaskError, sessionIo } from './session-runner.js';
import type { PlainTensor } from './tensor.js';
import type { WorkerRequest, WorkerResponse } from './worker-protocol.js';

/**
 * One inference worker: owns its own onnxruntime sessions, keyed by model version, and
 * runs them here so the blocking `session.run` never holds the HTTP event loop. It also
 * writes large answers (infer-response.ts) so their serialisation stays off that loop too.
 */

// On Linux a nice value belongs to the calling thread alone, so this lowers only the runs: with
// as many busy workers as cores, a woken worker would otherwise preempt the event loop in the
// middle of a request (elsewhere it would renice the whole process, so it is left alone).
const data = workerData as { niceness?: number; retired?: Int32Array } | null;
const niceness = data?.niceness ?? 0;
/** Set by the pool when this worker is replaced: it exits once the task at hand is done. */
const retired = data?.retired;
const exitIfRetired = () => {
  if (retired && Atomics.load(retired, 0) === 1) process.exit(0);
};
if (niceness > 0 && process.platform === 'linux') {
  try {
    setPriority(0, niceness);
  } catch {
    // not permitted here: the runs keep the normal priority
  }
}

const sessions = new Map<string, OpenSession>();
const port = parentPort!;

/** Buffers a tensor owns whole can be handed over; a view into a shared arena must be copied. */
function transferList(buffers: (PlainTensor['data'] | Uint8Array)[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const d of buffers) {
    if (
      !Array.isArray(d) &&
      d.buffer instanceof ArrayBuffer &&
      d.byteOffset === 0 &&
      d.byteLength === d.buffer.byteLength
    )
      seen.add(d.buffer);
  }
  return [...seen];
}

async function load(msg: Extract<WorkerRequest, { type: 'load' }>): Promise<WorkerResponse> {
  let loaded = sessions.get(msg.key);
  if (!loaded) {
    loaded = await openSession(msg.model, msg.settings);
    sessions.set(msg.key, loaded);
  }
  const io = sessionIo(loaded);
  return { id: msg.id, ok: true, inputs: io.inputs, outputsMeta: io.outputs };
}

async function run(
  msg: Extract<WorkerRequest, { type: 'run' }>,
): Promise<{ res: WorkerResponse; transfer?: ArrayBuffer[] }> {
  const loaded = sessions.get(msg.key);
  if (!loaded)
    return { res: { id: msg.id, ok: false, error: `model ${msg.key} is not loaded in this worker` } };
  const { outputs, runMs } = await runSession(loaded, msg.feeds, msg.limits);
  const transfer = transferList(Object.values(outputs).map((t) => t.data));
  return { res: { id: msg.id, ok: true, outputs, runMs }, transfer };
}

async function handle(msg: WorkerRequest): Promise<{ res: WorkerResponse; transfer?: ArrayBuffer[] }> {
  switch (msg.type) {
    case 'load':
      return { res: await load(msg) };
    case 'unload': {
      const loaded = sessions.get(msg.key);
      sessions.delete(msg.key);
      await loaded?.session.release();
      return { res: { id: msg.id, ok: true } };
    }
    case 'run':
      return run(msg);
    case 'encode': {
      const encoded = encodeInferResponse(msg.job.head, msg.job.outputs, msg.job.maxBytes);
      return { res: { id: msg.id, ok: true, encoded }, transfer: transferList([encoded.body]) };
    }
    case 'sleep': {
      const until = Date.now() + msg.ms;
      while (Date.now() < until) {
        // deliberate busy wait, standing in for a long session.run
      }
      return { res: { id: msg.id, ok: true } };
    }
  }
}

function failure(id: number, err: unknown): WorkerResponse {
  if (err instanceof SessionTaskError)
    return { id, ok: false, error: err.message, code: err.code, ...(err.size ? { size: err.size } : {}) };
  if (err instanceof OutputTooLargeError)
    return {
      id,
      ok: false,
      error: err.message,
      code: 'OUTPUT_TOO_LARGE',
      size: { outputs: [], elements: 0, bytes: err.bytes },
    };
  if (err instanceof ShapeMismatchError) return { id, ok: false, error: err.message, code: 'SHAPE_MISMATCH' };
  return { id, ok: false, error: err instanceof Error ? err.message : String(err) };
}

port.on('message', (msg: WorkerRequest) => {
  exitIfRetired();
  handle(msg).then(
    ({ res, transfer }) => {
      exitIfRetired();
      port.postMessage(res, transfer ?? []);
    },
    (err: unknown) => {
      exitIfRetired();
      port.postMessage(failure(msg.id, err));
    },
  );
});
