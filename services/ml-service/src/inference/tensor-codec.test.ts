import { describe, expect, it } from 'vitest';
import type { TensorSignature } from '../onnx/signature-reader.js';
import { decodeInput, TensorValidationError, tensorValues } from './tensor-codec.js';

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
    [{ datatype: 'FP32', shape: [1, 2], data: [1, 'nan'] }, /element 1 is not a number/],
    [{ datatype: 'FP32', shape: [1, 2], data: [1, null] }, /element 1 is not a number/],
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
        /element 1 overflows FP32 \(got 1e\+39\)/,
      );
    }
    // Infinity itself is a float, as are NaN and the strings answers use for them.
    for (const data of [
      [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
      Float64Array.of(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
      ['-Infinity', 'Infinity'],
    ]) {
      const t = decodeInput({ name: 'x', datatype: 'FP32', shape: [1, 2], data }, fp32, limits);
      expect(Array.from(t.data as Float32Array)).toEqual([
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
      ]);
    }
    const nan = decodeInput(
      { name: 'x', datatype: 'FP32', shape: [1, 2], data: [Number.NaN, 'NaN'] },
      fp32,
      limits,
    );
    expect(Array.from(nan.data as Float32Array)).toEqual([Number.NaN, Number.NaN]);
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
    ).toThrow(/INT32 range/);
    const sig64: TensorSignature = { name: 'n', datatype: 'INT64', dims: [] };
    expect(() =>
      decodeInput({ name: 'n', datatype: 'INT64', shape: [1], data: [1.5] }, sig64, limits),
    ).toThrow(/integer/);
  });

  it('keeps INT64 and UINT64 exact, quoting an out-of-range value exactly', () => {
    const i64: TensorSignature = { name: 'n', datatype: 'INT64', dims: [] };
    const u64: TensorSignature = { name: 'n', datatype: 'UINT64', dims: [] };
    const big = decodeInput(
      { name: 'n', datatype: 'INT64', shape: [3], data: [2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n] },
      i64,
      limits,
    );
    expect(big.data).toEqual(BigInt64Array.of(2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n));
    const ubig = decodeInput(
      { name: 'n', datatype: 'UINT64', shape: [1], data: [2n ** 64n - 1n] },
      u64,
      limits,
    );
    expect(ubig.data).toEqual(BigUint64Array.of(2n ** 64n - 1n));
    expect(() =>
      decodeInput({ name: 'n', datatype: 'INT64', shape: [1], data: [9223372036854775808n] }, i64, limits),
    ).toThrow(/element 0 is outside the INT64 range .* \(got 9223372036854775808\)/);
    expect(() => decodeInput({ name: 'n', datatype: 'UINT64', shape: [1], data: [-1] }, u64, limits)).toThrow(
      /outside the UINT64 range/,
    );
    // A double beyond 2^53 (written with an exponent) may already be rounded: refused, not guessed.
    expect(() =>
      decodeInput({ name: 'n', datatype: 'INT64', shape: [1], data: [1e18] }, i64, limits),
    ).toThrow(/is not exact/);
    expect(tensorValues(big, 'INT64')).toEqual([2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n]);
    expect(tensorValues({ type: 'int64', dims: [1], data: BigInt64Array.of(3n) }, 'INT64')).toEqual([3]);
  });

  it('reads outputs as JavaScript values by their served datatype', () => {
    expect(tensorValues({ type: 'float32', dims: [1, 2], data: Float32Array.of(0.5, 1) }, 'FP32')).toEqual([
      0.5, 1,
    ]);
    expect(tensorValues({ type: 'bool', dims: [1], data: Uint8Array.of(1) }, 'BOOL')).toEqual([true]);
    expect(tensorValues({ type: 'float16', dims: [1], data: Uint16Array.of(0x3c00) }, 'FP16')).toEqual([1]);
  });
});
