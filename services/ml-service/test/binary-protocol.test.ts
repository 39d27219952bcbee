import { describe, expect, it } from 'vitest';
import { stringifyExact } from '../src/inference/exact-json.js';
import { OnnxDataType } from '../src/onnx/data-types.js';
import { identityModel, tritonExampleModel } from './helpers/edge-models.js';
import { uploadRaw } from './helpers/http.js';
import { INFER_PATHS, useTestApp } from './helpers/test-app.js';

/**
 * The V2 binary tensor data extension, byte for byte as Triton's HTTP client speaks it. Requests
 * are built here from the protocol's documented layout (little-endian, BOOL one byte, FP16/BF16
 * raw bits, BYTES with 4-byte length prefixes), not with the service's own encoder.
 */

type Value = number | bigint | boolean | string;
interface Case {
  datatype: string;
  elemType: number;
  /** Six values, as JSON carries them. */
  json: Value[];
  /** The same six in the binary layout. */
  bytes: () => Buffer;
}

const le = (array: { buffer: ArrayBufferLike }) => Buffer.from(array.buffer as ArrayBuffer);
const u16 = (bits: number[]) => le(Uint16Array.from(bits));
const strings = ['alpha', '', 'βeta', '日本', 'x'.repeat(300), 'tab\t"quote"'];

const cases: Case[] = [
  {
    datatype: 'BOOL',
    elemType: OnnxDataType.BOOL,
    json: [true, false, true, true, false, false],
    bytes: () => Buffer.from([1, 0, 1, 1, 0, 0]),
  },
  {
    datatype: 'UINT8',
    elemType: OnnxDataType.UINT8,
    json: [0, 1, 127, 128, 254, 255],
    bytes: () => Buffer.from([0, 1, 127, 128, 254, 255]),
  },
  {
    datatype: 'INT8',
    elemType: OnnxDataType.INT8,
    json: [-128, -1, 0, 1, 2, 127],
    bytes: () => le(Int8Array.of(-128, -1, 0, 1, 2, 127)),
  },
  {
    datatype: 'UINT16',
    elemType: OnnxDataType.UINT16,
    json: [0, 1, 255, 256, 65534, 65535],
    bytes: () => le(Uint16Array.of(0, 1, 255, 256, 65534, 65535)),
  },
  {
    datatype: 'INT16',
    elemType: OnnxDataType.INT16,
    json: [-32768, -1, 0, 1, 300, 32767],
    bytes: () => le(Int16Array.of(-32768, -1, 0, 1, 300, 32767)),
  },
  {
    datatype: 'UINT32',
    elemType: OnnxDataType.UINT32,
    json: [0, 1, 65536, 2147483648, 4294967294, 4294967295],
    bytes: () => le(Uint32Array.of(0, 1, 65536, 2147483648, 4294967294, 4294967295)),
  },
  {
    datatype: 'INT32',
    elemType: OnnxDataType.INT32,
    json: [-2147483648, -1, 0, 1, 65536, 2147483647],
    bytes: () => le(Int32Array.of(-2147483648, -1, 0, 1, 65536, 2147483647)),
  },
  {
    datatype: 'UINT64',
    elemType: OnnxDataType.UINT64,
    json: [0, 1, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n],
    bytes: () => le(BigUint64Array.of(0n, 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n)),
  },
  {
    datatype: 'INT64',
    elemType: OnnxDataType.INT64,
    json: [-(2n ** 63n), -1, 0, 9007199254740993n, 2n ** 62n, 2n ** 63n - 1n],
    bytes: () => le(BigInt64Array.of(-(2n ** 63n), -1n, 0n, 9007199254740993n, 2n ** 62n, 2n ** 63n - 1n)),
  },
  {
    datatype: 'FP16',
    elemType: OnnxDataType.FLOAT16,
    json: [1, 0.5, -2, 65504, 'NaN', 'Infinity'],
    bytes: () => u16([0x3c00, 0x3800, 0xc000, 0x7bff, 0x7e00, 0x7c00]),
  },
  {
    datatype: 'BF16',
    elemType: OnnxDataType.BFLOAT16,
    json: [1, -2.5, 0.15625, 'Infinity', 3, 256],
    bytes: () => u16([0x3f80, 0xc020, 0x3e20, 0x7f80, 0x4040, 0x4380]),
  },
  {
    datatype: 'FP32',
    elemType: OnnxDataType.FLOAT,
    json: [0.5, -1.5, 3.4028234663852886e38, 'NaN', '-Infinity', 1.401298464324817e-45],
    bytes: () =>
      le(
        Float32Array.of(
          0.5,
          -1.5,
          3.4028234663852886e38,
          Number.NaN,
          Number.NEGATIVE_INFINITY,
          1.401298464324817e-45,
        ),
      ),
  },
  {
    datatype: 'FP64',
    elemType: OnnxDataType.DOUBLE,
    json: [0.1, -1e300, 5e-324, 'NaN', 'Infinity', -0.5],
    bytes: () => le(Float64Array.of(0.1, -1e300, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, -0.5)),
  },
  {
    datatype: 'BYTES',
    elemType: OnnxDataType.STRING,
    json: strings,
    bytes: () =>
      Buffer.concat(
        strings.flatMap((s) => {
          const b = Buffer.from(s, 'utf8');
          const len = Buffer.alloc(4);
          len.writeUInt32LE(b.length);
          return [len, b];
        }),
      ),
  },
];

/** A request body in the extension's layout: the JSON header, then each binary tensor in order. */
function binaryBody(header: object, parts: Buffer[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...parts]), headerLength: json.length };
}

/** Splits a binary answer: its JSON header and each output's bytes, by binary_data_size. */
function splitAnswer(body: Buffer, headerLength: number) {
  const header = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
  let pos = headerLength;
  const parts: Record<string, Buffer> = {};
  for (const o of header.outputs) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) continue;
    parts[o.name] = body.subarray(pos, pos + size);
    pos += size;
  }
  expect(pos).toBe(body.length);
  return { header, parts };
}

/** The `data` array of the one output of a JSON answer, read from the text so INT64 stays exact. */
function jsonData(text: string): Value[] {
  expect(text).toMatch(/"data":/);
  const inside = /"data":\[(.*)\]\}\]\}$/s.exec(text)![1]!;
  const parsed = JSON.parse(`[${inside}]`) as Value[];
  const raw = inside.split(',');
  return parsed.map((v, i) =>
    typeof v === 'number' && !Number.isSafeInteger(v) && /^-?\d+$/.test(raw[i]!) ? BigInt(raw[i]!) : v,
  );
}

const same = (a: Buffer, b: Buffer) => expect(a.toString('hex')).toBe(b.toString('hex'));

for (const lean of INFER_PATHS) {
  describe(`binary tensor data extension (lean infer ${lean})`, () => {
    const app = useTestApp(
      { ML_BOOTSTRAP_IRIS: 'false', ML_PREDICTION_LOG_EVERY: '0', ML_LEAN_INFER: lean },
      async ({ t, operator }) => {
        for (const c of cases) {
          const up = await uploadRaw(
            t,
            `id-${c.datatype.toLowerCase()}`,
            identityModel(c.elemType),
            operator,
          );
          expect(up.status, `${c.datatype}: ${up.body}`).toBe(201);
        }
        expect((await uploadRaw(t, 'mymodel', tritonExampleModel(), operator)).status).toBe(201);
      },
    );

    const post = (url: string, body: Buffer | string, headers: Record<string, string>) =>
      app.t.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { authorization: `Bearer ${app.viewer}`, ...headers },
      });

    it.each(cases)('$datatype: JSON and binary requests and answers carry the same values', async (c) => {
      const url = `/v2/models/id-${c.datatype.toLowerCase()}/infer`;
      const viaJson = await post(
        url,
        stringifyExact({ inputs: [{ name: 'x', datatype: c.datatype, shape: [2, 3], data: c.json }] }),
        { 'content-type': 'application/json' },
      );
      expect(viaJson.statusCode, viaJson.body).toBe(200);
      expect(viaJson.headers['content-type']).toMatch(/^application\/json/);
      expect(jsonData(viaJson.body)).toEqual(c.json);

      const { body, headerLength } = binaryBody(
        {
          inputs: [
            {
              name: 'x',
              datatype: c.datatype,
              shape: [2, 3],
              parameters: { binary_data_size: c.bytes().length },
            },
          ],
          parameters: { binary_data_output: true },
        },
        [c.bytes()],
      );
      const viaBinary = await post(url, body, {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(headerLength),
      });
      expect(viaBinary.statusCode, viaBinary.body).toBe(200);
      expect(viaBinary.headers['content-type']).toBe('application/octet-stream');
      const answer = splitAnswer(
        viaBinary.rawPayload,
        Number(viaBinary.headers['inference-header-content-length']),
      );
      expect(answer.header.outputs[0]).toEqual({
        name: 'y',
        datatype: c.datatype,
        shape: [2, 3],
        parameters: { binary_data_size: c.bytes().length },
      });
      same(answer.parts['y']!, c.bytes());

      // Binary in, JSON out; and JSON in, binary out: the same values either way.
      const binaryIn = binaryBody(
        {
          inputs: [
            {
              name: 'x',
              datatype: c.datatype,
              shape: [2, 3],
              parameters: { binary_data_size: c.bytes().length },
            },
          ],
        },
        [c.bytes()],
      );
      const mixedIn = await post(url, binaryIn.body, {
        'inference-header-content-length': String(binaryIn.headerLength),
      });
      expect(mixedIn.headers['content-type']).toMatch(/^application\/json/);
      expect(jsonData(mixedIn.body)).toEqual(c.json);
      const jsonIn = await post(
        url,
        stringifyExact({
          inputs: [{ name: 'x', datatype: c.datatype, shape: [2, 3], data: c.json }],
          outputs: [{ name: 'y', parameters: { binary_data: true } }],
        }),
        { 'content-type': 'application/json' },
      );
      same(
        splitAnswer(jsonIn.rawPayload, Number(jsonIn.headers['inference-header-content-length'])).parts['y']!,
        c.bytes(),
      );
    });

    it('answers the protocol documentation example: two binary inputs, the output asked for in binary', async () => {
      const input0 = le(Uint32Array.of(1, 2, 3, 4));
      const input1 = Buffer.from([1, 0, 1]);
      const { body, headerLength } = binaryBody(
        {
          model_name: 'mymodel',
          inputs: [
            { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } },
            { name: 'input1', shape: [3], datatype: 'BOOL', parameters: { binary_data_size: 3 } },
          ],
          outputs: [{ name: 'output0', parameters: { binary_data: true } }],
        },
        [input0, input1],
      );
      const res = await post('/v2/models/mymodel/infer', body, {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(headerLength),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      const { header, parts } = splitAnswer(
        res.rawPayload,
        Number(res.headers['inference-header-content-length']),
      );
      expect(header.outputs).toEqual([
        { name: 'output0', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } },
      ]);
      same(parts['output0']!, le(Float32Array.of(1, 2, 3, 4)));
    });

    it('takes JSON and binary inputs in one request; binary_data on an output overrides binary_data_output', async () => {
      const { body, headerLength } = binaryBody(
        {
          inputs: [
            { name: 'input0', shape: [2, 2], datatype: 'UINT32', parameters: { binary_data_size: 16 } },
            { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, false] },
          ],
          parameters: { binary_data_output: true },
          outputs: [{ name: 'output0' }, { name: 'output1', parameters: { binary_data: false } }],
        },
        [le(Uint32Array.of(5, 6, 7, 8))],
      );
      const res = await post('/v2/models/mymodel/infer', body, {
        'inference-header-content-length': String(headerLength),
      });
      expect(res.statusCode, res.body).toBe(200);
      const { header, parts } = splitAnswer(
        res.rawPayload,
        Number(res.headers['inference-header-content-length']),
      );
      same(parts['output0']!, le(Float32Array.of(5, 6, 7, 8)));
      expect(header.outputs[1]).toEqual({
        name: 'output1',
        datatype: 'BOOL',
        shape: [3],
        data: [false, true, true],
      });
    });

    it.each([
      [
        'a header length past the body',
        { len: 10_000 },
        /Inference-Header-Content-Length is 10000, but the body has/,
      ],
      ['bytes nobody accounts for', { extra: Buffer.from([1, 2]) }, /2 bytes follow the JSON part/],
      [
        'a size that does not fit the datatype',
        { size: 15 },
        /binary data has 15 bytes; 4 UINT32 elements need 16/,
      ],
      ['data and binary for one input', { data: true }, /has both "data" and binary_data_size/],
    ])(
      'refuses %s with a V2 error',
      async (_label, opts: { len?: number; extra?: Buffer; size?: number; data?: boolean }, message) => {
        const size = opts.size ?? 16;
        const { body, headerLength } = binaryBody(
          {
            inputs: [
              {
                name: 'input0',
                shape: [2, 2],
                datatype: 'UINT32',
                parameters: { binary_data_size: size },
                ...(opts.data ? { data: [1, 2, 3, 4] } : {}),
              },
              { name: 'input1', shape: [3], datatype: 'BOOL', data: [true, false, false] },
            ],
          },
          [Buffer.alloc(size), ...(opts.extra ? [opts.extra] : [])],
        );
        const res = await post('/v2/models/mymodel/infer', body, {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(opts.len ?? headerLength),
        });
        expect(res.statusCode, res.body).toBe(400);
        expect(Object.keys(JSON.parse(res.body))).toEqual(['error']);
        expect(JSON.parse(res.body).error).toMatch(message);
      },
    );

    it('refuses BYTES that are not UTF-8 text, BOOL bytes other than 0 and 1, and bodies of other types', async () => {
      const bad = Buffer.from([3, 0, 0, 0, 0xff, 0xfe, 0xfd, 1, 0, 0, 0, 0x61, 0, 0, 0, 0]);
      const strings = binaryBody(
        {
          inputs: [
            { name: 'x', datatype: 'BYTES', shape: [1, 3], parameters: { binary_data_size: bad.length } },
          ],
        },
        [bad],
      );
      const text = await post('/v2/models/id-bytes/infer', strings.body, {
        'inference-header-content-length': String(strings.headerLength),
      });
      expect(text.statusCode).toBe(400);
      expect(JSON.parse(text.body).error).toMatch(/element 0 is not valid UTF-8 text/);
      const bools = binaryBody(
        { inputs: [{ name: 'x', datatype: 'BOOL', shape: [1, 3], parameters: { binary_data_size: 3 } }] },
        [Buffer.from([1, 2, 0])],
      );
      const bool = await post('/v2/models/id-bool/infer', bools.body, {
        'inference-header-content-length': String(bools.headerLength),
      });
      expect(bool.statusCode).toBe(400);
      expect(JSON.parse(bool.body).error).toMatch(/element 1 is 2, a BOOL byte is 0 or 1/);
      // The JSON part is text, and read as UTF-8 only: a bad byte in it is named, not replaced.
      const head = binaryBody(
        { id: 'r\u00ff', inputs: [{ name: 'x', datatype: 'BOOL', shape: [1, 1] }] },
        [],
      );
      const latin1 = Buffer.from(head.body.toString('utf8'), 'latin1');
      const notUtf8 = await post('/v2/models/id-bool/infer', latin1, {
        'inference-header-content-length': String(latin1.length),
      });
      expect(notUtf8.statusCode).toBe(400);
      expect(JSON.parse(notUtf8.body).error).toMatch(/JSON part of the body is not valid UTF-8 .*offset 8\b/);
      const plain = await post('/v2/models/id-bool/infer', 'hello', { 'content-type': 'text/plain' });
      expect(plain.statusCode).toBe(415);
      expect(JSON.parse(plain.body).error).toMatch(/Inference-Header-Content-Length/);
    });
  });
}
