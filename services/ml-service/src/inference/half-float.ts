/**
 * IEEE 754 binary16 ("FP16") <-> JavaScript numbers, for FP16 tensors sent as JSON numbers:
 * onnxruntime takes and returns their raw 16-bit patterns in a Uint16Array.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The FP16 bit pattern nearest to `value` (ties to even), or undefined when it does not fit. */
export function toHalfBits(value: number): number | undefined {
  f32[0] = value; // rounds to float32 first; float32 -> float16 then rounds once more, as exporters do
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return undefined; // NaN or Infinity: not JSON numbers anyway
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
