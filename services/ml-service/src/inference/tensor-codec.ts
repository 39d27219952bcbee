import { type OrtTensorType, ortToV2, type V2Datatype, v2ToOrt } from '../onnx/data-types.js';
import type { TensorSignature } from '../onnx/signature-reader.js';
import { fromHalfBits, toHalfBits } from './half-float.js';
import { allocate, elementCount, type PlainTensor, type TensorData } from './tensor.js';

/**
 * JSON <-> tensor conversion for the Open Inference Protocol, validated against the model
 * signature. Every failure names the offending input so the caller can fix the request.
 */

export class TensorValidationError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown;
}

export interface DecodeLimits {
  /** Largest first dimension accepted for one request. */
  maxRows: number;
}

const INT_RANGES: Partial<Record<OrtTensorType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

/**
 * Flattens nested JSON arrays (the protocol allows both flat and row-major nested data). A
 * Float64Array is a flat array of JSON numbers already (see infer-json.ts).
 */
function flatten(data: unknown, name: string): ArrayLike<unknown> {
  if (data instanceof Float64Array) return data;
  if (!Array.isArray(data)) throw new TensorValidationError(name, `input "${name}": data must be an array`);
  if (!data.some(Array.isArray)) return data;
  const out: unknown[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 32) throw new TensorValidationError(name, `input "${name}": data is nested too deeply`);
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else out.push(v);
  };
  walk(data, 0);
  return out;
}

/** FP32 from JSON numbers: the same checks as fill(), in a loop the compiler keeps monomorphic. */
function fillFloat32(values: Float64Array, name: string): Float32Array {
  const out = new Float32Array(values.length);
  out.set(values);
  for (let i = 0; i < out.length; i++) {
    // The element-wise path names the offending element.
    if (!Number.isFinite(out[i]!)) return fillEach('float32', values, name) as Float32Array;
  }
  return out;
}

function fill(type: OrtTensorType, values: ArrayLike<unknown>, name: string): TensorData {
  return type === 'float32' && values instanceof Float64Array
    ? fillFloat32(values, name)
    : fillEach(type, values, name);
}

function fillEach(type: OrtTensorType, values: ArrayLike<unknown>, name: string): TensorData {
  const out = allocate(type, values.length);
  const bad = (i: number, why: string): never => {
    throw new TensorValidationError(
      name,
      `input "${name}": element ${i} ${why} (got ${JSON.stringify(values[i]) ?? 'undefined'})`,
    );
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    switch (type) {
      case 'bool':
        if (typeof v === 'boolean') (out as Uint8Array)[i] = v ? 1 : 0;
        else if (v === 0 || v === 1) (out as Uint8Array)[i] = v;
        else bad(i, 'is not a boolean');
        break;
      case 'string':
        if (typeof v !== 'string') bad(i, 'is not a string');
        (out as string[])[i] = v as string;
        break;
      case 'float32':
      case 'float64':
        // JSON has no NaN or Infinity; strings such as "NaN" are refused rather than coerced.
        if (typeof v !== 'number' || !Number.isFinite(v)) bad(i, 'is not a finite number');
        (out as Float32Array)[i] = v as number;
        if (type === 'float32' && !Number.isFinite((out as Float32Array)[i]!)) bad(i, 'overflows float32');
        break;
      case 'int64':
      case 'uint64':
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) bad(i, 'is not an integer within ±2^53');
        if (type === 'uint64' && (v as number) < 0) bad(i, 'is negative');
        (out as BigInt64Array)[i] = BigInt(v as number);
        break;
      case 'float16': {
        const bits = typeof v === 'number' && Number.isFinite(v) ? toHalfBits(v) : undefined;
        if (bits === undefined) bad(i, 'is not a finite number within FP16 range (±65504)');
        (out as Uint16Array)[i] = bits!;
        break;
      }
      default: {
        const range = INT_RANGES[type]!;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < range[0] || v > range[1]) {
          bad(i, `is not an integer in ${type} range`);
        }
        (out as Int32Array)[i] = v as number;
      }
    }
  }
  return out;
}

export function decodeInput(input: RequestTensor, sig: TensorSignature, limits: DecodeLimits): PlainTensor {
  const name = sig.name;
  if (input.datatype !== sig.datatype) {
    throw new TensorValidationError(
      name,
      `input "${name}": datatype ${input.datatype} given, model expects ${sig.datatype}`,
    );
  }
  const shape = input.shape;
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new TensorValidationError(name, `input "${name}": shape must be an array of non-negative integers`);
  }
  if (sig.dims.length > 0 && shape.length !== sig.dims.length) {
    throw new TensorValidationError(
      name,
      `input "${name}": shape [${shape.join(',')}] has rank ${shape.length}, model expects rank ${sig.dims.length}`,
    );
  }
  sig.dims.forEach((d, i) => {
    if ('value' in d && d.value > 0 && shape[i] !== d.value) {
      throw new TensorValidationError(
        name,
        `input "${name}": dimension ${i} is ${shape[i]}, model expects ${d.value} (shape [${shape.join(',')}])`,
      );
    }
  });
  if (shape.length > 0 && shape[0]! > limits.maxRows) {
    throw new TensorValidationError(
      name,
      `input "${name}": ${shape[0]} rows exceed the limit of ${limits.maxRows}`,
    );
  }
  const values = flatten(input.data, name);
  const expected = elementCount(shape);
  if (values.length !== expected) {
    throw new TensorValidationError(
      name,
      `input "${name}": shape [${shape.join(',')}] needs ${expected} elements, data has ${values.length}`,
    );
  }
  const type = v2ToOrt(sig.datatype);
  return { type, dims: [...shape], data: fill(type, values, name) };
}

export interface ResponseTensor {
  name: string;
  datatype: V2Datatype;
  shape: number[];
  data: (number | boolean | string)[];
}

export function encodeOutput(name: string, tensor: PlainTensor): ResponseTensor {
  const datatype = ortToV2(tensor.type) ?? 'BYTES';
  let data: (number | boolean | string)[];
  if (tensor.type === 'bool') data = Array.from(tensor.data as Uint8Array, (v) => v !== 0);
  else if (tensor.type === 'float16') data = Array.from(tensor.data as Uint16Array, fromHalfBits);
  else if (tensor.type === 'int64' || tensor.type === 'uint64')
    data = Array.from(tensor.data as BigInt64Array, Number);
  else if (Array.isArray(tensor.data)) data = tensor.data;
  else data = Array.from(tensor.data as Float32Array);
  return { name, datatype, shape: tensor.dims, data };
}
