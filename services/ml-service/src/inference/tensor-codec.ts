import { type OrtTensorType, type V2Datatype, v2ToOrt } from '../onnx/data-types.js';
import type { TensorSignature } from '../onnx/signature-reader.js';
import { BinaryTensorError, tensorFromBytes } from './binary-tensor.js';
import { fromHalfBits, roundToBf16, toHalfBits } from './half-float.js';
import { allocate, elementCount, type PlainTensor, type TensorData } from './tensor.js';

/**
 * Request tensors -> typed storage for the runtime, validated against the model signature.
 * Every failure names the offending input (and element) so the caller can fix the request.
 *
 * JSON conventions: INT64/UINT64 elements are exact (integer literals beyond ±2^53 arrive as
 * BigInt from infer-json.ts); floating-point elements may be NaN or ±Infinity, written as the
 * bare literals Python sends or as the strings "NaN", "Infinity", "-Infinity", which is also
 * how answers carry them.
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
  data?: unknown;
  /** The tensor's bytes when it came through the binary data extension. */
  binary?: Uint8Array;
}

export interface DecodeLimits {
  /** Largest first dimension accepted for one request. */
  maxRows: number;
}

const INT_RANGES: Partial<Record<V2Datatype, readonly [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
};
const BIG_RANGES: Partial<Record<V2Datatype, readonly [bigint, bigint]>> = {
  INT64: [-(2n ** 63n), 2n ** 63n - 1n],
  UINT64: [0n, 2n ** 64n - 1n],
};
const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A value as a request showed it, for an error message (BigInt and non-finite numbers included). */
export function shown(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A JSON array: a plain array, or a flat array of numbers the parser read as a Float64Array. */
export const isList = (v: unknown): v is ArrayLike<unknown> & Iterable<unknown> =>
  Array.isArray(v) || v instanceof Float64Array;

/**
 * Flattens nested JSON arrays (the protocol allows both flat and row-major nested data). A
 * Float64Array is a flat array of JSON numbers already (see infer-json.ts).
 */
function flatten(data: unknown, name: string): ArrayLike<unknown> {
  if (data instanceof Float64Array) return data;
  if (!Array.isArray(data)) throw new TensorValidationError(name, `input "${name}": data must be an array`);
  if (!data.some(isList)) return data;
  const out: unknown[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 32) throw new TensorValidationError(name, `input "${name}": data is nested too deeply`);
    if (isList(v)) for (const x of v) walk(x, depth + 1);
    else out.push(v);
  };
  walk(data, 0);
  return out;
}

/**
 * A floating-point element: any number, a BigInt a double can hold (an integer literal of 309
 * digits or more is no Infinity), or one of the three non-finite names.
 */
function floatOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof v === 'string') return NON_FINITE[v];
  return undefined;
}

function fill(
  datatype: V2Datatype,
  type: OrtTensorType,
  values: ArrayLike<unknown>,
  name: string,
): TensorData {
  if (values instanceof Float64Array) {
    if (datatype === 'FP64') return values;
    if (datatype === 'FP32') {
      const out = new Float32Array(values.length);
      out.set(values);
      let ok = true;
      for (let i = 0; i < out.length; i++) {
        const o = out[i]!;
        // Only a finite number overflowing float32 is wrong; the element-wise path names it.
        if ((o === Number.POSITIVE_INFINITY || o === Number.NEGATIVE_INFINITY) && Number.isFinite(values[i]!))
          ok = false;
      }
      if (ok) return out;
    }
  }
  return fillEach(datatype, type, values, name);
}

function fillEach(
  datatype: V2Datatype,
  type: OrtTensorType,
  values: ArrayLike<unknown>,
  name: string,
): TensorData {
  const out = allocate(type, values.length);
  const bad = (i: number, why: string): never => {
    throw new TensorValidationError(name, `input "${name}": element ${i} ${why} (got ${shown(values[i])})`);
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    switch (datatype) {
      case 'BOOL':
        if (typeof v === 'boolean') (out as Uint8Array)[i] = v ? 1 : 0;
        else if (v === 0 || v === 1) (out as Uint8Array)[i] = v;
        else bad(i, 'is not a boolean');
        break;
      case 'BYTES':
        if (typeof v !== 'string') bad(i, 'is not a string');
        (out as string[])[i] = v as string;
        break;
      case 'FP32':
      case 'FP64': {
        const x = floatOf(v);
        if (x === undefined)
          bad(
            i,
            typeof v === 'bigint'
              ? 'is beyond the range of a 64-bit float'
              : 'is not a number (NaN and Infinity are written "NaN", "Infinity", "-Infinity")',
          );
        (out as Float32Array)[i] = x!;
        if (datatype === 'FP32' && Number.isFinite(x) && !Number.isFinite((out as Float32Array)[i]!))
          bad(i, 'overflows FP32');
        break;
      }
      case 'FP16': {
        const x = floatOf(v);
        const bits = x === undefined ? undefined : toHalfBits(x);
        if (bits === undefined) bad(i, 'is not a number within FP16 range (±65504)');
        (out as Uint16Array)[i] = bits!;
        break;
      }
      case 'BF16': {
        const x = floatOf(v);
        const rounded = x === undefined ? undefined : roundToBf16(x);
        if (rounded === undefined) bad(i, 'is not a number within BF16 range');
        (out as Float32Array)[i] = rounded!;
        break;
      }
      case 'INT64':
      case 'UINT64': {
        const [min, max] = BIG_RANGES[datatype]!;
        let big: bigint | undefined;
        if (typeof v === 'bigint') big = v;
        else if (typeof v === 'number' && Number.isSafeInteger(v)) big = BigInt(v);
        else if (typeof v === 'number' && Number.isInteger(v))
          bad(
            i,
            'is not exact: write integers beyond ±2^53 as plain integer literals, without a fraction or exponent',
          );
        else bad(i, 'is not an integer');
        if (big! < min || big! > max) bad(i, `is outside the ${datatype} range ${min}..${max}`);
        (out as BigInt64Array)[i] = big!;
        break;
      }
      default: {
        const range = INT_RANGES[datatype]!;
        const n = typeof v === 'bigint' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < range[0] || n > range[1]) {
          bad(i, `is not an integer in ${datatype} range ${range[0]}..${range[1]}`);
        }
        (out as Int32Array)[i] = n as number;
      }
    }
  }
  return out;
}

/** Checks an input's datatype and shape against the model; returns the element count. */
function checkShape(input: RequestTensor, sig: TensorSignature, limits: DecodeLimits): number {
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
  return elementCount(shape);
}

export function decodeInput(input: RequestTensor, sig: TensorSignature, limits: DecodeLimits): PlainTensor {
  const name = sig.name;
  const expected = checkShape(input, sig, limits);
  const type = v2ToOrt(sig.datatype);
  if (input.binary) {
    try {
      return {
        type,
        dims: [...input.shape],
        data: tensorFromBytes(sig.datatype, input.binary, expected, name),
      };
    } catch (err) {
      if (err instanceof BinaryTensorError) throw new TensorValidationError(name, err.message);
      throw err;
    }
  }
  const values = flatten(input.data, name);
  if (values.length !== expected) {
    throw new TensorValidationError(
      name,
      `input "${name}": shape [${input.shape.join(',')}] needs ${expected} elements, data has ${values.length}`,
    );
  }
  return { type, dims: [...input.shape], data: fill(sig.datatype, type, values, name) };
}

/** A JSON-ready element value: exact INT64 beyond ±2^53 stays a BigInt. */
export type JsValue = number | bigint | boolean | string;

/** The elements of a tensor as JavaScript values, read as `datatype` says (the served datatype). */
export function tensorValues(tensor: PlainTensor, datatype: V2Datatype): JsValue[] {
  const d = tensor.data;
  if (Array.isArray(d)) return d;
  switch (datatype) {
    case 'BOOL':
      return Array.from(d as Uint8Array, (v) => v !== 0);
    case 'FP16':
      return Array.from(d as Uint16Array, fromHalfBits);
    case 'INT64':
    case 'UINT64':
      return Array.from(d as BigInt64Array, (v) => {
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : v;
      });
    default:
      // BF16 is held as float32 holding BF16 values already.
      return Array.from(d as Float32Array);
  }
}
