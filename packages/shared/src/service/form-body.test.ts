import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formPairs } from './form-body.js';

describe('formPairs', () => {
  it('reads what URLSearchParams reads from any form of UTF-8 text', () => {
    expect(formPairs('a=1&b=x+y%21&&c&d=%ZZ%2&e=%e2%82%ac&a=2')).toEqual([
      ['a', '1'],
      ['b', 'x y!'],
      ['c', ''],
      ['d', '%ZZ%2'],
      ['e', '€'],
      ['a', '2'],
    ]);
    const field = fc.string({
      unit: fc.constantFrom('a', 'é', '+', '%', '2', '1', 'F', '=', '&', ' ', '🚀'),
    });
    fc.assert(
      fc.property(field, (text) => {
        const expected = [...new URLSearchParams(text)];
        // Where URLSearchParams put U+FFFD for bytes that are not UTF-8, formPairs refuses instead.
        if (expected.some(([k, v]) => `${k}${v}`.includes('\uFFFD'))) return true;
        expect(formPairs(text)).toEqual(expected);
        return true;
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (fields) => {
        const text = new URLSearchParams(fields).toString();
        expect(formPairs(text)).toEqual([...new URLSearchParams(text)]);
      }),
    );
  });

  it('refuses escapes that are not UTF-8, naming the field, where URLSearchParams puts U+FFFD', () => {
    expect(() => formPairs('grant_type=client_credentials&scope=a%FFb')).toThrow(
      /The value of form field "scope" has percent-escapes that do not decode to UTF-8/,
    );
    expect(() => formPairs('%C3=1')).toThrow(/A form field name has percent-escapes/);
    expect(() => formPairs('%3Cscript%3E=%C0%AF')).toThrow(/^A form field value has/);
  });
});
