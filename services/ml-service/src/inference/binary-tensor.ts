import type { V2Datatype } from '../onnx/data-types.js';
import { allocate, type PlainTensor, type TensorData } from './tensor.js';

/**
 * Tensor elements in the layout of the V2 binary tensor data extension (as Triton defines it):
 * little-endian, row-major, no padding; BOOL one byte (0 or 1); FP16 and BF16 their raw 16 bits;
 * BYTES each element as a 4-byte little-endian length followed by its bytes.
 */

export class BinaryTensorError extends Error {}

const WIDTH: Record<Exclude<V2Datatype, 'BYTES'>, number> = {
  BOOL: 1,
  INT8: 1,
  UINT8: 1,
  INT16: 2,
  UINT16: 2,
  FP16: 2,
  BF16: 2,
  INT32: 4,
  UINT32: 4,
  FP32: 4,
  INT64: 8,
  UINT64: 8,
  FP64: 8,
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bytesElements(bytes: Uint8Array, count: number, name: string): string[] {
  const out = new Array<string>(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > bytes.length)
      throw new BinaryTensorError(`input "${name}": binary data ends before element ${i} of ${count}`);
    const len = view.getUint32(pos, true);
    pos += 4;
    if (pos + len > bytes.length)
      throw new BinaryTensorError(
        `input "${name}": element ${i} claims ${len} bytes, past the end of its data`,
      );
    try {
      out[i] = utf8.decode(bytes.subarray(pos, pos + len));
    } catch {
      // onnxruntime-node passes strings to the runtime as UTF-8 text, so other bytes cannot go through intact.
      throw new BinaryTensorError(`input "${name}": element ${i} is not valid UTF-8 text`);
    }
    pos += len;
  }
  if (pos !== bytes.length)
    throw new BinaryTensorError(
      `input "${name}": ${bytes.length - pos} bytes left after its ${count} elements`,
    );
  return out;
}

/**
 * Typed storage for `count` elements of `datatype` read from their binary form.
 *
 * @example
 * tensorFromBytes('FP32', new Uint8Array(new Float32Array([1, 2]).buffer), 2, 'x') // Float32Array [1, 2]
 */
export function tensorFromBytes(
  datatype: V2Datatype,
  bytes: Uint8Array,
  count: number,
  name: string,
): TensorData {
  if (datatype === 'BYTES') return bytesElements(bytes, count, name);
  const width = WIDTH[datatype];
  if (bytes.length !== count * width) {
    throw new BinaryTensorError(
      `input "${name}": binary data has ${bytes.length} bytes; ${count} ${datatype} elements need ${count * width}`,
    );
  }
  if (datatype === 'BF16') {
    const out = new Float32Array(count);
    const bits = new Uint32Array(out.buffer);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
    return out;
  }
  const out = allocate(datatype === 'FP16' ? 'float16' : (ortOf[datatype] ?? 'uint8'), count) as Exclude<
    TensorData,
    string[]
  >;
  // A copy, aligned for its element type (the data sits at any offset in the body).
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  if (datatype === 'BOOL') {
    const b = out as Uint8Array;
    for (let i = 0; i < b.length; i++) {
      if (b[i]! > 1)
        throw new BinaryTensorError(`input "${name}": element ${i} is ${b[i]}, a BOOL byte is 0 or 1`);
    }
  }
  return out;
}

const ortOf: Partial<Record<V2Datatype, Parameters<typeof allocate>[0]>> = {
  BOOL: 'bool',
  INT8: 'int8',
  UINT8: 'uint8',
  INT16: 'int16',
  UINT16: 'uint16',
  INT32: 'int32',
  UINT32: 'uint32',
  FP32: 'float32',
  INT64: 'int64',
  UINT64: 'uint64',
  FP64: 'float64',
};

/** The binary form of a tensor's elements, served as `datatype`. Numeric data is not copied. */
export function tensorToBytes(datatype: V2Datatype, tensor: PlainTensor): Uint8Array {
  const d = tensor.data;
  if (Array.isArray(d)) {
    const encoded = d.map((s) => Buffer.from(s, 'utf8'));
    const out = Buffer.allocUnsafe(encoded.reduce((n, b) => n + 4 + b.length, 0));
    let pos = 0;
    for (const b of encoded) {
      out.writeUInt32LE(b.length, pos);
      out.set(b, pos + 4);
      pos += 4 + b.length;
    }
    return out;
  }
  if (datatype === 'BF16') {
    const src = new Uint32Array(d.buffer, d.byteOffset, d.length);
    const out = new Uint16Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i]! >>> 16;
    return new Uint8Array(out.buffer);
  }
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}
