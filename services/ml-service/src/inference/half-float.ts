/**
 * IEEE 754 binary16 ("FP16") <-> JavaScript numbers, for FP16 tensors sent as JSON numbers:
 * onnxruntime takes and returns their raw 16-bit patterns in a Uint16Array.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The FP16 bit pattern nearest to `value` (ties to even), or undefined when a finite value does
 * not fit. NaN and the infinities map to theirs.
 */
export function toHalfBits(value: number): number | undefined {
  f32[0] = value; // rounds to float32 first; float32 -> float16 then rounds once more, as exporters do
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return mant ? 0x7e00 : sign | 0x7c00; // NaN, or the infinity of that sign
  if (mant === 0 && exp === 0) return sign;
  let e = exp - 127 + 15;
  if (e >= 0x1f) return undefined; // beyond 65504 after rounding (checked again below)
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit bit in, round to nearest even.
    if (e < -10) return sign; // rounds to (signed) zero
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  const rest = mant & 0x1fff;
  mant >>>= 13;
  if (rest > 0x1000 || (rest === 0x1000 && mant & 1)) {
    mant++;
    if (mant === 0x400) {
      mant = 0;
      e++;
      if (e >= 0x1f) return undefined;
    }
  }
  return sign | (e << 10) | mant;
}

/** The number an FP16 bit pattern stands for. */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * BF16 ("bfloat16", the top half of a float32) for tensors the runtime holds as float32 (see
 * data-types.ts): the float32 nearest to `value` among those BF16 can represent (ties to even),
 * or undefined when a finite value does not fit. NaN and the infinities pass through.
 */
export function roundToBf16(value: number): number | undefined {
  f32[0] = value;
  if (Number.isNaN(f32[0]!)) return Number.NaN;
  if (!Number.isFinite(value)) return value;
  const x = u32[0]!;
  u32[0] = ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) << 16;
  const rounded = f32[0]!;
  return Number.isFinite(rounded) ? rounded : undefined;
}

/** The BF16 bit pattern of a float32 value that BF16 represents exactly (as roundToBf16 gives). */
export function bf16Bits(value: number): number {
  f32[0] = value;
  return Number.isNaN(value) ? 0x7fc0 : u32[0]! >>> 16;
}

/** The float32 value of a BF16 bit pattern (exact). */
export function fromBf16Bits(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0]!;
}
