import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { findExternalData } from '../onnx/external-data.js';
import { type RuntimeModel, toRuntimeModel } from '../onnx/runtime-rewrite.js';
import { encodeInferResponse, OutputTooLargeError, ShapeMismatchError } from './infer-response.js';
import { elementCount, type PlainTensor, type TensorMap } from './tensor.js';
import type {
  IoMetadata,
  OutputSizeInfo,
  RunLimits,
  WorkerRequest,
  WorkerResponse,
} from './worker-protocol.js';

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

interface Loaded {
  session: ort.InferenceSession;
  presence: RuntimeModel['presence'];
}

const sessions = new Map<string, Loaded>();
const port = parentPort!;

class TaskError extends Error {
  constructor(
    message: string,
    readonly code: 'OUTPUT_TOO_LARGE' | 'SHAPE_MISMATCH',
    readonly size?: OutputSizeInfo,
  ) {
    super(message);
  }
}

function meta(list: readonly ort.InferenceSession.ValueMetadata[], hidden: Set<string>): IoMetadata[] {
  return list
    .filter((m) => !hidden.has(m.name))
    .map((m) =>
      m.isTensor
        ? { name: m.name, type: m.type, shape: [...m.shape] }
        : { name: m.name, type: 'non-tensor', shape: [] },
    );
}

function toPlain(t: ort.Tensor): PlainTensor {
  return { type: t.type as PlainTensor['type'], dims: [...t.dims], data: t.data as PlainTensor['data'] };
}

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

/** Refuses, before anything leaves this thread, outputs larger than the caller accepts. */
function checkSize(outputs: TensorMap, limits: RunLimits | undefined): void {
  if (!limits) return;
  let elements = 0;
  let bytes = 0;
  for (const t of Object.values(outputs)) {
    elements += elementCount(t.dims);
    bytes += Array.isArray(t.data) ? t.data.reduce((n, s) => n + s.length, 0) : t.data.byteLength;
  }
  if (elements > limits.maxElements || bytes > limits.maxBytes) {
    const size = {
      outputs: Object.entries(outputs).map(([name, t]) => ({ name, shape: t.dims })),
      elements,
      bytes,
    };
    throw new TaskError('outputs too large', 'OUTPUT_TOO_LARGE', size);
  }
}

async function load(msg: Extract<WorkerRequest, { type: 'load' }>): Promise<WorkerResponse> {
  let loaded = sessions.get(msg.key);
  if (!loaded) {
    const external = findExternalData(msg.model);
    if (external) throw new Error(`the ${external} keeps its data in an external file`);
    const runtime = toRuntimeModel(msg.model);
    const session = await ort.InferenceSession.create(runtime.bytes, {
      intraOpNumThreads: msg.settings.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // The runtime's own error lines are unstructured text on stderr; the service reports every
      // failed run itself, in its JSON log with the request id.
      logSeverityLevel: 4,
      // Idle onnxruntime threads sleep instead of spinning: the cores are shared with the
      // event loop and the other workers.
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    loaded = { session, presence: runtime.presence };
    sessions.set(msg.key, loaded);
  }
  const hidden = new Set(loaded.presence.map((p) => p.flag));
  return {
    id: msg.id,
    ok: true,
    inputs: meta(loaded.session.inputMetadata, hidden),
    outputsMeta: meta(loaded.session.outputMetadata, hidden),
  };
}

async function run(
  msg: Extract<WorkerRequest, { type: 'run' }>,
): Promise<{ res: WorkerResponse; transfer?: ArrayBuffer[] }> {
  const loaded = sessions.get(msg.key);
  if (!loaded)
    return { res: { id: msg.id, ok: false, error: `model ${msg.key} is not loaded in this worker` } };
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(msg.feeds)) {
    feeds[name] = new ort.Tensor(t.type, t.data as Float32Array, t.dims);
  }
  const started = performance.now();
  const result = await loaded.session.run(feeds);
  const runMs = performance.now() - started;
  const outputs: TensorMap = {};
  for (const [name, t] of Object.entries(result)) outputs[name] = toPlain(t as ort.Tensor);
  // An absent optional output is left out, and the flags saying so are never served.
  for (const { output, flag } of loaded.presence) {
    if (!(outputs[flag]?.data as Uint8Array | undefined)?.[0]) delete outputs[output];
    delete outputs[flag];
  }
  checkSize(outputs, msg.limits);
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
  if (err instanceof TaskError)
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
