import type { OrtTensorType, V2Datatype } from '../onnx/data-types.js';

/** Typed storage for each tensor type, the same arrays onnxruntime-node takes and returns. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | string[];

/** A tensor as it crosses the worker boundary: plain data, no runtime objects. */
export interface PlainTensor {
  type: OrtTensorType;
  dims: number[];
  data: TensorData;
}

export type TensorMap = Record<string, PlainTensor>;

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function allocate(type: OrtTensorType, length: number): TensorData {
  switch (type) {
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'uint8':
    case 'bool':
      return new Uint8Array(length);
    case 'uint16':
    case 'float16':
      return new Uint16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'uint64':
      return new BigUint64Array(length);
    case 'string':
      return new Array<string>(length).fill('');
  }
}

/** Buffers that can be moved to a worker instead of copied. */
export function transferables(tensors: TensorMap): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const t of Object.values(tensors)) {
    const d = t.data;
    // A view into a larger (possibly pooled) buffer is copied, never detached from its owner.
    if (Array.isArray(d) || !(d.buffer instanceof ArrayBuffer)) continue;
    if (d.byteOffset === 0 && d.byteLength === d.buffer.byteLength && !out.includes(d.buffer))
      out.push(d.buffer);
  }
  return out;
}

export type { OrtTensorType, V2Datatype };
