import { describe, expect, it } from 'vitest';
import { namedDimConflict } from './named-dims.js';

const dims = (...names: (string | number)[]) =>
  names.map((n) => (typeof n === 'number' ? { value: n } : { param: n }));

describe('namedDimConflict', () => {
  const sig = [
    { name: 'ids', dims: dims('batch', 'seq') },
    { name: 'mask', dims: dims('batch', 'seq') },
  ];

  it('accepts inputs that agree on every named dimension', () => {
    expect(namedDimConflict(sig, { ids: [2, 5], mask: [2, 5] })).toBeUndefined();
  });

  it('names the dimension and both inputs when they disagree', () => {
    expect(namedDimConflict(sig, { ids: [2, 5], mask: [2, 4] })).toBe(
      'inputs "ids" and "mask" share dimension "seq" but give it 5 and 4',
    );
  });

  it('catches one input using one name twice with two sizes', () => {
    expect(namedDimConflict([{ name: 'square', dims: dims('n', 'n') }], { square: [3, 4] })).toBe(
      'input "square" uses dimension "n" but gives it 3 and 4',
    );
  });

  it('ignores unnamed dimensions, fixed ones and inputs not given', () => {
    const loose = [
      { name: 'a', dims: dims('', 3) },
      { name: 'b', dims: dims('', 3) },
    ];
    expect(namedDimConflict(loose, { a: [1, 3], b: [7, 3] })).toBeUndefined();
    expect(namedDimConflict(sig, { ids: [2, 5] })).toBeUndefined();
  });
});
