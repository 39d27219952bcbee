import { describe, expect, it } from 'vitest';
import type { TensorSignature } from '../onnx/signature-reader.js';
import { decodeInput, encodeOutput, TensorValidationError } from './tensor-codec.js';

const fp32: TensorSignature = { name: 'x', datatype: 'FP32', dims: [{ param: 'N' }, { value: 2 }] };
const limits = { maxRows: 4 };

function error(fn: () => unknown): TensorValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TensorValidationError) return e;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('tensor codec', () => {
  it('decodes flat and nested data', () => {
    const flat = decodeInput(
      { name: 'x', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] },
      fp32,
      limits,
    );
    const nested = decodeInput(
      {
        name: 'x',
        datatype: 'FP32',
        shape: [2, 2],
        data: [
          [1, 2],
          [3, 4],
        ],
      },
      fp32,
      limits,
    );
    expect(flat.data).toEqual(Float32Array.of(1, 2, 3, 4));
    expect(nested.data).toEqual(flat.data);
  });

  it('decodes INT64, INT32, FP64 and BOOL', () => {
    const i64 = decodeInput(
      { name: 'i', datatype: 'INT64', shape: [1, 2], data: [3, -4] },
      { name: 'i', datatype: 'INT64', dims: [] },
      limits,
    );
    expect(i64.data).toEqual(BigInt64Array.of(3n, -4n));
    const i32 = decodeInput(
      { name: 'i', datatype: 'INT32', shape: [2], data: [7, 8] },
      { name: 'i', datatype: 'INT32', dims: [{ param: 'N' }] },
      limits,
    );
    expect(i32.data).toEqual(Int32Array.of(7, 8));
    const f64 = decodeInput(
      { name: 'd', datatype: 'FP64', shape: [1], data: [0.1] },
      { name: 'd', datatype: 'FP64', dims: [{ value: 1 }] },
      limits,
    );
    expect(f64.data).toEqual(Float64Array.of(0.1));
    const b = decodeInput(
      { name: 'b', datatype: 'BOOL', shape: [2], data: [true, false] },
      { name: 'b', datatype: 'BOOL', dims: [{ value: 2 }] },
      limits,
    );
    expect(b).toEqual({ type: 'bool', dims: [2], data: Uint8Array.of(1, 0) });
  });

  it.each([
    [{ datatype: 'FP64', shape: [1, 2], data: [1, 2] }, /datatype FP64 given, model expects FP32/],
    [{ datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }, /dimension 1 is 3, model expects 2/],
    [{ datatype: 'FP32', shape: [2], data: [1, 2] }, /rank 1, model expects rank 2/],
    [{ datatype: 'FP32', shape: [2, 2], data: [1, 2, 3] }, /needs 4 elements, data has 3/],
    [{ datatype: 'FP32', shape: [1, 2], data: [1, 'NaN'] }, /element 1 is not a finite number/],
    [{ datatype: 'FP32', shape: [1, 2], data: [1, null] }, /element 1 is not a finite number/],
    [{ datatype: 'FP32', shape: [5, 2], data: new Array(10).fill(0) }, /5 rows exceed the limit of 4/],
    [{ datatype: 'FP32', shape: [1, -2], data: [] }, /non-negative integers/],
    [{ datatype: 'FP32', shape: [1, 2], data: 'abc' }, /data must be an array/],
  ])('refuses %j naming the input', (input, message) => {
    const err = error(() => decodeInput({ name: 'x', ...input } as never, fp32, limits));
    expect(err.input).toBe('x');
    expect(err.message).toMatch(message);
    expect(err.message).toContain('"x"');
  });

  it('takes data already read into a Float64Array with the same checks and messages', () => {
    const typed = decodeInput(
      { name: 'x', datatype: 'FP32', shape: [1, 2], data: Float64Array.of(0.1, -2) },
      fp32,
      limits,
    );
    expect(typed.data).toEqual(Float32Array.of(0.1, -2));
    for (const data of [[1, 1e39], Float64Array.of(1, 1e39)]) {
      expect(() => decodeInput({ name: 'x', datatype: 'FP32', shape: [1, 2], data }, fp32, limits)).toThrow(
        /element 1 overflows float32 \(got 1e\+39\)/,
      );
    }
    for (const data of [[1, Number.POSITIVE_INFINITY], Float64Array.of(1, Number.POSITIVE_INFINITY)]) {
      expect(() => decodeInput({ name: 'x', datatype: 'FP32', shape: [1, 2], data }, fp32, limits)).toThrow(
        /element 1 is not a finite number \(got null\)/,
      );
    }
    expect(() =>
      decodeInput({ name: 'x', datatype: 'FP32', shape: [1, 3], data: Float64Array.of(1, 2) }, fp32, limits),
    ).toThrow(/dimension 1 is 3/);
    const ints = decodeInput(
      { name: 'i', datatype: 'INT32', shape: [2], data: Float64Array.of(7, 8) },
      { name: 'i', datatype: 'INT32', dims: [{ param: 'N' }] },
      limits,
    );
    expect(ints.data).toEqual(Int32Array.of(7, 8));
  });

  it('refuses integers out of range and fractional integers', () => {
    const sig: TensorSignature = { name: 'n', datatype: 'INT32', dims: [] };
    expect(() =>
      decodeInput({ name: 'n', datatype: 'INT32', shape: [1], data: [2 ** 31] }, sig, limits),
    ).toThrow(/int32 range/);
    const sig64: TensorSignature = { name: 'n', datatype: 'INT64', dims: [] };
    expect(() =>
      decodeInput({ name: 'n', datatype: 'INT64', shape: [1], data: [1.5] }, sig64, limits),
    ).toThrow(/integer/);
  });

  it('encodes outputs with V2 datatypes', () => {
    expect(encodeOutput('y', { type: 'float32', dims: [1, 2], data: Float32Array.of(0.5, 1) })).toEqual({
      name: 'y',
      datatype: 'FP32',
      shape: [1, 2],
      data: [0.5, 1],
    });
    expect(encodeOutput('l', { type: 'int64', dims: [1], data: BigInt64Array.of(3n) }).data).toEqual([3]);
    expect(encodeOutput('b', { type: 'bool', dims: [1], data: Uint8Array.of(1) }).data).toEqual([true]);
  });
});
