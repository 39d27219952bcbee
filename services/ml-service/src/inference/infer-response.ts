import type { V2Datatype } from '../onnx/data-types.js';
import { tensorToBytes } from './binary-tensor.js';
import { fromHalfBits } from './half-float.js';
import { elementCount, type PlainTensor } from './tensor.js';

/**
 * Writes an inference answer (Open Inference Protocol) straight from the output tensors: the
 * JSON text, and with the binary data extension the tensors' bytes after it. Pure code with no
 * server dependencies, so large answers can be written on a worker thread.
 *
 * JSON conventions: INT64/UINT64 are exact JSON integers (never rounded through a double);
 * NaN and ±Infinity, which JSON numbers cannot hold, are the strings "NaN", "Infinity" and
 * "-Infinity" (as KServe and Triton clients read them). A tensor whose data does not match its
 * shape is never written: that is a server fault, thrown as ShapeMismatchError.
 */

export interface OutputToSend {
  name: string;
  /** The served datatype (BF16 tensors are held as float32). */
  datatype: V2Datatype;
  tensor: PlainTensor;
  binary: boolean;
  parameters?: Record<string, unknown>;
}

export interface ResponseHead {
  model_name: string;
  model_version: string;
  id?: string;
  parameters?: Record<string, unknown>;
}

export interface EncodedResponse {
  body: Buffer;
  /** Length of the JSON part when binary tensor data follows it (Inference-Header-Content-Length). */
  headerLength?: number;
}

export class OutputTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the answer would exceed ${limit} bytes`);
  }
}

export class ShapeMismatchError extends Error {}

function floatText(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}

function floats(d: ArrayLike<number> & { join(sep: string): string }): string {
  for (let i = 0; i < d.length; i++) {
    // The native join writes each number as JSON does, but non-finite ones bare.
    if (!Number.isFinite(d[i]!)) return Array.from(d, floatText).join(',');
  }
  return d.join(',');
}

/** The elements of a tensor as the inside of a JSON array. */
export function jsonData(datatype: V2Datatype, tensor: PlainTensor): string {
  const d = tensor.data;
  if (Array.isArray(d)) return d.map((s) => JSON.stringify(s)).join(',');
  switch (datatype) {
    case 'BOOL':
      return Array.from(d as Uint8Array, (v) => (v ? 'true' : 'false')).join(',');
    case 'FP16':
      return Array.from(d as Uint16Array, (bits) => floatText(fromHalfBits(bits))).join(',');
    case 'FP32':
    case 'FP64':
    case 'BF16':
      return floats(d as Float32Array);
    default:
      // Integers, BigInt64 included: the native join writes every value exactly.
      return (d as Int32Array).join(',');
  }
}

function checkShape(o: OutputToSend): void {
  const expected = elementCount(o.tensor.dims);
  if (expected !== o.tensor.data.length) {
    throw new ShapeMismatchError(
      `output "${o.name}" has shape [${o.tensor.dims.join(',')}] but ${o.tensor.data.length} elements`,
    );
  }
}

/**
 * The body of an answer, within `maxBytes`.
 *
 * @example
 * encodeInferResponse({ model_name: 'm', model_version: '1' },
 *   [{ name: 'y', datatype: 'FP32', binary: false, tensor: { type: 'float32', dims: [1], data: Float32Array.of(0.5) } }],
 *   1 << 20).body.toString() // '{"model_name":"m","model_version":"1","outputs":[{"name":"y",...,"data":[0.5]}]}'
 */
export function encodeInferResponse(
  head: ResponseHead,
  outputs: readonly OutputToSend[],
  maxBytes: number,
): EncodedResponse {
  let size = 0;
  const grow = (n: number) => {
    size += n;
    if (size > maxBytes) throw new OutputTooLargeError(size, maxBytes);
  };
  const parts: string[] = [];
  const binaries: Uint8Array[] = [];
  for (const o of outputs) {
    checkShape(o);
    let params = o.parameters;
    let data = '';
    if (o.binary) {
      const bytes = tensorToBytes(o.datatype, o.tensor);
      grow(bytes.length);
      binaries.push(bytes);
      params = { ...params, binary_data_size: bytes.length };
    } else {
      // At least one byte per element: refuse before writing what cannot fit.
      grow(o.tensor.data.length);
      data = jsonData(o.datatype, o.tensor);
      grow((Array.isArray(o.tensor.data) ? Buffer.byteLength(data) : data.length) - o.tensor.data.length);
    }
    const paramsText = params ? `,"parameters":${JSON.stringify(params)}` : '';
    const dataText = o.binary ? '' : `,"data":[${data}]`;
    const text = `{"name":${JSON.stringify(o.name)},"datatype":"${o.datatype}","shape":[${o.tensor.dims.join(',')}]${paramsText}${dataText}}`;
    grow(text.length - data.length);
    parts.push(text);
  }
  const json =
    `{"model_name":${JSON.stringify(head.model_name)},"model_version":${JSON.stringify(head.model_version)}` +
    (head.id !== undefined ? `,"id":${JSON.stringify(head.id)}` : '') +
    (head.parameters ? `,"parameters":${JSON.stringify(head.parameters)}` : '') +
    `,"outputs":[${parts.join(',')}]}`;
  if (binaries.length === 0) return { body: Buffer.from(json) };
  const header = Buffer.from(json);
  return { body: Buffer.concat([header, ...binaries]), headerLength: header.length };
}
