import { describe, expect, it } from 'vitest';
import { bf16Bits, fromBf16Bits, fromHalfBits, roundToBf16, toHalfBits } from './half-float.js';

describe('FP16 conversion', () => {
  it('writes the documented bit patterns', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(toHalfBits(65504)).toBe(0x7bff); // largest finite half
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(toHalfBits(0)).toBe(0);
    expect(toHalfBits(-0)).toBe(0x8000);
  });

  it('rounds to nearest, ties to even, and refuses what does not fit', () => {
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie, down to even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, up to even
    expect(toHalfBits(2 ** -25)).toBe(0); // half of the smallest subnormal: ties to zero
    expect(toHalfBits(3 * 2 ** -25)).toBe(0x0002);
    expect(toHalfBits(65519)).toBe(0x7bff);
    expect(toHalfBits(65520)).toBeUndefined(); // a finite value rounding to infinity
    expect(toHalfBits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(toHalfBits(Number.NEGATIVE_INFINITY)).toBe(0xfc00);
    expect(toHalfBits(Number.NaN)).toBe(0x7e00);
  });

  it('rounds to BF16 and back exactly', () => {
    expect(roundToBf16(1)).toBe(1);
    expect(bf16Bits(1)).toBe(0x3f80);
    expect(roundToBf16(1 + 2 ** -8)).toBe(1); // tie, down to even
    expect(roundToBf16(1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6); // tie, up to even
    expect(roundToBf16(fromBf16Bits(0x7f7f))).toBe(fromBf16Bits(0x7f7f)); // largest finite BF16
    expect(roundToBf16(3.5e38)).toBeUndefined();
    expect(roundToBf16(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
    expect(roundToBf16(Number.NaN)).toBeNaN();
    for (let bits = 0; bits < 0x10000; bits += 7) {
      const v = fromBf16Bits(bits);
      if (Number.isNaN(v)) continue;
      expect(bf16Bits(roundToBf16(v)!)).toBe(bits);
    }
  });

  it('reads back every finite pattern to the value that writes it again', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue; // infinities and NaNs
      expect(toHalfBits(fromHalfBits(bits))).toBe(bits);
    }
    expect(fromHalfBits(0x7c00)).toBe(Number.POSITIVE_INFINITY);
    expect(fromHalfBits(0x3555)).toBeCloseTo(1 / 3, 3);
  });
});
