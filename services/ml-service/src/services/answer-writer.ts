import type { AppError } from '@opsmesh/shared';
import { mlErrors } from '../errors.js';
import {
  type EncodedResponse,
  encodeInferResponse,
  OutputTooLargeError,
  type OutputToSend,
} from '../inference/infer-response.js';
import type { TensorMap } from '../inference/tensor.js';
import { transferables } from '../inference/tensor.js';
import { WorkerTaskError } from '../inference/worker-pool.js';
import type { EncodeJob } from '../inference/worker-protocol.js';
import type { Resolved } from './registry-service.js';

/**
 * Turns a run's outputs into the V2 answer: the outputs asked for (all by default), each as JSON
 * or binary data as the request says (`binary_data` per output, `binary_data_output` for all),
 * the class labels of a ZipMap output in its `parameters`, and absent optional outputs left out.
 * Bounds are checked before anything is written; a large answer is written on a worker thread
 * so the event loop keeps serving other requests meanwhile.
 */

export interface OutputRequest {
  name: string;
  parameters?: Record<string, unknown>;
}

export type EncodedAnswer = EncodedResponse;

export interface AnswerLimits {
  maxOutputElements: number;
  maxOutputBytes: number;
  encodeOffThread: (job: EncodeJob, transfer: ArrayBuffer[]) => Promise<EncodedResponse>;
  tooLarge: (what: string, limit: string, setting: string) => AppError;
}

/** Answers estimated above this many bytes are written on a worker (a few ms of work in place). */
const OFF_THREAD_BYTES = 256 * 1024;

const invalid = (message: string) => mlErrors.ML_INVALID_INPUT({ message });

function flag(params: Record<string, unknown> | undefined, key: string, where: string): boolean | undefined {
  const v = params?.[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalid(`${where} parameter "${key}" must be true or false`);
  return v;
}

/** The outputs to send, in the order asked (or the model's order), with how to send each. */
function selectOutputs(
  resolved: Resolved,
  body: { parameters?: Record<string, unknown>; outputs?: OutputRequest[] },
  out: TensorMap,
): OutputToSend[] {
  const declared = resolved.version.outputs;
  const allBinary = flag(body.parameters, 'binary_data_output', 'request') ?? false;
  const wanted: OutputRequest[] = body.outputs ?? declared.map((o) => ({ name: o.name }));
  const seen = new Set<string>();
  const sends: OutputToSend[] = [];
  for (const w of wanted) {
    const sig = declared.find((o) => o.name === w.name);
    if (!sig) {
      throw invalid(
        `unknown output "${w.name}"; the model gives ${declared.map((o) => `"${o.name}"`).join(', ')}`,
      );
    }
    if (seen.has(w.name)) throw invalid(`output "${w.name}" is asked for twice`);
    seen.add(w.name);
    if (w.parameters?.['classification'] !== undefined)
      throw invalid(
        `output "${w.name}": the classification extension is not supported; read "labels" in the output's parameters`,
      );
    const binary = flag(w.parameters, 'binary_data', `output "${w.name}"`) ?? allBinary;
    const tensor = out[w.name];
    if (!tensor) continue; // an optional output the model did not produce this time
    sends.push({
      name: w.name,
      datatype: sig.datatype,
      tensor,
      binary,
      ...(sig.labels ? { parameters: { labels: sig.labels } } : {}),
    });
  }
  return sends;
}

function estimate(o: OutputToSend): number {
  const d = o.tensor.data;
  if (Array.isArray(d)) return d.reduce((n, s) => n + s.length + 3, 0);
  return o.binary ? d.byteLength : d.length * 12;
}

export async function encodeAnswer(
  resolved: Resolved,
  body: { id?: string; parameters?: Record<string, unknown>; outputs?: OutputRequest[] },
  out: TensorMap,
  limits: AnswerLimits,
): Promise<EncodedAnswer> {
  const outputs = selectOutputs(resolved, body, out);
  const elements = outputs.reduce((n, o) => n + o.tensor.data.length, 0);
  if (elements > limits.maxOutputElements) {
    const shapes = outputs.map((o) => `"${o.name}" [${o.tensor.dims.join(',')}]`).join(', ');
    throw limits.tooLarge(
      `${elements} elements (${shapes})`,
      `${limits.maxOutputElements} elements`,
      'maxOutputElements',
    );
  }
  const head = {
    model_name: resolved.model.name,
    model_version: String(resolved.version.version),
    ...(body.id !== undefined ? { id: body.id } : {}),
  };
  const tooManyBytes = (bytes: number) =>
    limits.tooLarge(`at least ${bytes} bytes`, `${limits.maxOutputBytes} bytes`, 'maxOutputBytes');
  const offThread = outputs.reduce(
    (n, o) => n + (o.binary && !Array.isArray(o.tensor.data) ? 0 : estimate(o)),
    0,
  );
  try {
    if (offThread <= OFF_THREAD_BYTES) return encodeInferResponse(head, outputs, limits.maxOutputBytes);
    const tensors = Object.fromEntries(outputs.map((o) => [o.name, o.tensor]));
    return await limits.encodeOffThread(
      { head, outputs, maxBytes: limits.maxOutputBytes },
      transferables(tensors),
    );
  } catch (err) {
    if (err instanceof OutputTooLargeError) throw tooManyBytes(err.bytes);
    if (err instanceof WorkerTaskError && err.code === 'OUTPUT_TOO_LARGE')
      throw tooManyBytes(err.size?.bytes ?? 0);
    throw err;
  }
}
