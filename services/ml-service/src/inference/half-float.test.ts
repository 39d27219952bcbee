import { describe, expect, it } from 'vitest';
import { fromHalfBits, toHalfBits } from './half-float.js';

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
    expect(toHalfBits(65520)).toBeUndefined(); // rounds to infinity
    expect(toHalfBits(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(toHalfBits(Number.NaN)).toBeUndefined();
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
