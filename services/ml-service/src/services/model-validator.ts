import { mlErrors } from '../errors.js';
import type { WorkerPool } from '../inference/worker-pool.js';
import { findExternalData } from '../onnx/external-data.js';
import { fileKind } from '../onnx/file-kind.js';
import { ProtoDecodeError } from '../onnx/protobuf.js';
import {
  NotOnnxModelError,
  OnnxFormatError,
  readSignature,
  type TensorSignature,
} from '../onnx/signature-reader.js';
import { explainRuntimeError } from './runtime-message.js';

/**
 * Decides whether uploaded bytes are a usable model: readable as an ONNX ModelProto with a
 * signature the service can serve, self-contained (no tensor data in external files, which the
 * runtime would read from the server's disk), and loadable by onnxruntime (tried in a worker
 * under a throw-away key). Refusals are 4xx errors saying why.
 */

/** The runtime's view wins when it disagrees with the file's declared inputs (e.g. IR < 4 initializers). */
function reconcile(parsed: TensorSignature[], runtime: { name: string }[]): TensorSignature[] {
  const names = new Set(runtime.map((r) => r.name));
  return parsed.filter((t) => names.has(t.name));
}

export async function validateUpload(pool: WorkerPool, bytes: Uint8Array, key: string) {
  if (bytes.length === 0) throw mlErrors.ML_EMPTY_UPLOAD({});
  let signature: ReturnType<typeof readSignature>;
  try {
    signature = readSignature(bytes);
  } catch (err) {
    // The parser's own words stay in the problem's `errors` for whoever debugs an exporter.
    if (err instanceof NotOnnxModelError)
      throw mlErrors.ML_NOT_ONNX_MODEL(
        { looksLike: fileKind(bytes) },
        { fieldErrors: [{ field: 'file', message: err.message }] },
      );
    if (err instanceof OnnxFormatError) throw mlErrors.ML_INVALID_MODEL({ reason: err.message });
    throw err;
  }
  let external: string | undefined;
  try {
    external = findExternalData(bytes);
  } catch (err) {
    if (err instanceof ProtoDecodeError)
      throw mlErrors.ML_INVALID_MODEL({ reason: `not a valid protobuf: ${err.message}` });
    throw err;
  }
  if (external) throw mlErrors.ML_EXTERNAL_DATA({ where: external });
  let runtime: Awaited<ReturnType<WorkerPool['load']>>;
  try {
    runtime = await pool.load(key, bytes);
  } catch (err) {
    throw mlErrors.ML_INVALID_MODEL({
      reason: `onnxruntime cannot load it: ${explainRuntimeError((err as Error).message)}`,
    });
  } finally {
    await pool.unload(key).catch(() => undefined);
  }
  return { ...signature, inputs: reconcile(signature.inputs, runtime.inputs) };
}
