import { describe, expect, it } from 'vitest';
import { NOT_PARSED, NumberOutOfRangeError, parseInferJson } from './infer-json.js';

const parse = (text: string) => parseInferJson(Buffer.from(text));
const inputData = (v: unknown) => (v as { inputs: { data: unknown }[] }).inputs[0]!.data;

describe('infer JSON parser', () => {
  it('reads the data of each input as a Float64Array with the values JSON.parse gives', () => {
    const numbers = [
      '0',
      '-0',
      '1',
      '-12.5e-3',
      '0.1',
      '0.30000000000000004',
      '1.7976931348623157e308',
      '4.9e-324',
      '9007199254740991',
      '1e22',
      `0.${'0'.repeat(30)}1`,
      '1E5',
      '1e+5',
      '0.1234567890123456789',
    ];
    const text = `{"inputs":[{"name":"x","datatype":"FP64","shape":[${numbers.length}],"data":[${numbers.join(', ')}]}]}`;
    const got = inputData(parse(text));
    expect(got).toBeInstanceOf(Float64Array);
    const want = inputData(JSON.parse(text)) as number[];
    // toEqual tells -0 from 0 as Object.is does.
    expect(Array.from(got as Float64Array)).toEqual(want);
  });

  it('refuses a number in tensor values beyond a double, which JSON.parse reads as Infinity', () => {
    for (const literal of ['1e400', '-1e400', '1.8e308', '2E+999']) {
      for (const text of [
        `{"inputs":[{"name":"x","datatype":"FP64","shape":[2],"data":[1, ${literal}]}]}`,
        `{"inputs":[{"name":"x","datatype":"FP64","shape":[1,1],"data":[[${literal}]]}]}`,
        `{"inputs":[{"name":"x","datatype":"FP64","shape":[],"data":${literal}}]}`,
        `{"instances":[[0.5, ${literal}]]}`,
      ]) {
        expect(() => parse(text), text).toThrow(NumberOutOfRangeError);
        expect(() => parse(text), text).toThrow(`The tensor value ${literal} is beyond the range`);
      }
    }
    // The largest double, and the non-finite names, stay as they were; so do numbers outside data.
    expect(
      Array.from(
        inputData(parse('{"inputs":[{"data":[1.7976931348623157e308, Infinity]}]}')) as Float64Array,
      ),
    ).toEqual([1.7976931348623157e308, Number.POSITIVE_INFINITY]);
    expect(parse('{"parameters":{"x":1e400},"inputs":[]}')).toEqual({
      parameters: { x: Infinity },
      inputs: [],
    });
  });

  it('agrees with JSON.parse on many random decimals', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const texts: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 40 - 20);
      texts.push(String(x), x.toFixed(Math.floor(rand() * 8)), x.toExponential(Math.floor(rand() * 10)));
      texts.push(String(Math.fround(x)), String(Math.round(x * 1000) / 1000));
    }
    const text = `{"inputs":[{"data":[${texts.join(',')}]}]}`;
    // Integers past 2^53 come back exact (BigInt); as doubles they are what JSON.parse gives.
    const got = Array.from(inputData(parse(text)) as ArrayLike<number | bigint>, Number);
    expect(got).toEqual(inputData(JSON.parse(text)));
  });

  it('keeps integers past 2^53 exact and reads NaN and Infinity in tensor data', () => {
    const text =
      '{"inputs":[{"name":"i","data":[9223372036854775807,-9223372036854775808,1,9007199254740993]},' +
      '{"name":"f","data":[NaN,Infinity,-Infinity,1.5]},{"name":"n","data":[[18446744073709551615],[NaN]]}],' +
      '"instances":[{"ids":[12345678901234567890]}]}';
    const got = parse(text) as { inputs: { data: unknown }[]; instances: unknown };
    expect(got.inputs[0]!.data).toEqual([9223372036854775807n, -9223372036854775808n, 1, 9007199254740993n]);
    expect(Array.from(got.inputs[1]!.data as Float64Array)).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      1.5,
    ]);
    expect(got.inputs[2]!.data).toEqual([[18446744073709551615n], [Number.NaN]]);
    expect(got.instances).toEqual([{ ids: [12345678901234567890n] }]);
    // Outside tensor data they stay what JSON says: no NaN, and large numbers are doubles.
    expect(parse('{"id":NaN,"inputs":[]}')).toBe(NOT_PARSED);
    expect(parse('{"x":9007199254740993}')).toEqual({ x: 9007199254740992 });
  });

  it('builds everything else as JSON.parse does, typed data only under inputs', () => {
    const text =
      '{"id":"r\\u00e9q","inputs":[{"name":"x","shape":[2,2],"data":[[1,2],[3,4]],"parameters":{"data":[1]}},' +
      '{"name":"s","data":["a",1]},{"name":"e","data":[]}],"data":[1,2],"outputs":[{"name":"y"}],' +
      '"flags":[true,false,null],"é":"ü"}';
    const got = parse(text) as { inputs: { data: unknown }[] };
    expect(got.inputs[2]!.data).toEqual(new Float64Array(0));
    got.inputs[2]!.data = [];
    expect(got).toEqual(JSON.parse(text));
  });

  it('leaves to the stock parser what it does not take', () => {
    for (const text of [
      '',
      ' ',
      '{',
      '{"a":1,}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":-}',
      '{"a":tru}',
      '{"inputs":[{"data":[1,2,]}]}',
      '{"inputs":[{"data":[1 2]}]}',
      '{"x":"\u0001"}',
      '\ufeff{}',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{}}}',
      '{"a":1} x',
      `${'['.repeat(100)}${']'.repeat(100)}`,
    ]) {
      expect(parse(text), text).toBe(NOT_PARSED);
    }
  });
  it('keeps the list of /predict instances an Array, so the schema judges it as sent', () => {
    expect(Array.isArray((parse('{"instances":[]}') as { instances: unknown }).instances)).toBe(true);
    expect((parse('{"instances":[1,2.5]}') as { instances: unknown }).instances).toEqual([1, 2.5]);
    expect(Array.isArray((parse('{"instances":[1,2.5]}') as { instances: unknown }).instances)).toBe(true);
  });
});
