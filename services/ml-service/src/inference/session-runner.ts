import ort from 'onnxruntime-node';
import { findExternalData } from '../onnx/external-data.js';
import { type RuntimeModel, toRuntimeModel } from '../onnx/runtime-rewrite.js';
import { elementCount, type PlainTensor, type TensorMap } from './tensor.js';
import type { IoMetadata, OutputSizeInfo, RunLimits, SessionSettings } from './worker-protocol.js';

/**
 * One onnxruntime session of a model version and its runs: what an inference worker does with a
 * version, and what the event loop does with a version whose runs go there (inline-runs.ts).
 */

export interface OpenSession {
  session: ort.InferenceSession;
  presence: RuntimeModel['presence'];
}

/** A run refused for a reason the caller acts on. */
export class SessionTaskError extends Error {
  constructor(
    message: string,
    readonly code: 'OUTPUT_TOO_LARGE' | 'SHAPE_MISMATCH',
    readonly size?: OutputSizeInfo,
  ) {
    super(message);
  }
}

/**
 * Session config entries for `settings.spinning`. By default idle onnxruntime threads sleep
 * instead of spinning: the cores are shared with the event loop and the other workers.
 */
export function spinningOptions(settings: SessionSettings): Record<string, unknown> {
  const allow = settings.spinning ? '1' : '0';
  return { session: { intra_op: { allow_spinning: allow }, inter_op: { allow_spinning: allow } } };
}

export async function openSession(model: Uint8Array, settings: SessionSettings): Promise<OpenSession> {
  const external = findExternalData(model);
  if (external) throw new Error(`the ${external} keeps its data in an external file`);
  const runtime = toRuntimeModel(model);
  const session = await ort.InferenceSession.create(runtime.bytes, {
    intraOpNumThreads: settings.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // The runtime's own error lines are unstructured text on stderr; the service reports every
    // failed run itself, in its JSON log with the request id.
    logSeverityLevel: 4,
    extra: spinningOptions(settings),
  });
  return { session, presence: runtime.presence };
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

/** The inputs and outputs the session reports, without the presence flags the rewrite added. */
export function sessionIo(open: OpenSession): { inputs: IoMetadata[]; outputs: IoMetadata[] } {
  const hidden = new Set(open.presence.map((p) => p.flag));
  return {
    inputs: meta(open.session.inputMetadata, hidden),
    outputs: meta(open.session.outputMetadata, hidden),
  };
}

function toPlain(t: ort.Tensor): PlainTensor {
  return { type: t.type as PlainTensor['type'], dims: [...t.dims], data: t.data as PlainTensor['data'] };
}

/** Refuses outputs larger than the caller accepts, before any of them is handed on. */
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
    throw new SessionTaskError('outputs too large', 'OUTPUT_TOO_LARGE', size);
  }
}

/** One run: absent optional outputs left out, outputs past `limits` refused. */
export async function runSession(
  open: OpenSession,
  feeds: TensorMap,
  limits?: RunLimits,
): Promise<{ outputs: TensorMap; runMs: number }> {
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    tensors[name] = new ort.Tensor(t.type, t.data as Float32Array, t.dims);
  }
  const started = performance.now();
  const result = await open.session.run(tensors);
  const runMs = performance.now() - started;
  const outputs: TensorMap = {};
  for (const [name, t] of Object.entries(result)) outputs[name] = toPlain(t as ort.Tensor);
  // An absent optional output is left out, and the flags saying so are never served.
  for (const { output, flag } of open.presence) {
    if (!(outputs[flag]?.data as Uint8Array | undefined)?.[0]) delete outputs[output];
    delete outputs[flag];
  }
  checkSize(outputs, limits);
  return { outputs, runMs };
}
