import { describe, expect, it } from 'vitest';
import { OnnxDataType } from '../src/onnx/data-types.js';
import { identityModel, twoInputModel } from './helpers/edge-models.js';
import { uploadRaw } from './helpers/http.js';
import { stringModel } from './helpers/models.js';
import { INFER_PATHS, useTestApp } from './helpers/test-app.js';

/**
 * Values travel exactly: INT64/UINT64 beyond 2^53 both ways, NaN and ±Infinity as the strings
 * "NaN"/"Infinity"/"-Infinity" (never null), the bare literals Python's json.dumps writes
 * accepted; and /predict takes any model, inputs by name.
 */

for (const lean of INFER_PATHS) {
  describe(`exact values and /predict for any model (lean infer ${lean})`, () => {
    const app = useTestApp({ ML_BOOTSTRAP_IRIS: 'false', ML_LEAN_INFER: lean }, async ({ t, operator }) => {
      for (const [name, bytes] of [
        ['i64', identityModel(OnnxDataType.INT64)],
        ['u64', identityModel(OnnxDataType.UINT64)],
        ['f32', identityModel(OnnxDataType.FLOAT)],
        ['f64', identityModel(OnnxDataType.DOUBLE)],
        ['masked-ids', twoInputModel()],
        ['strings', stringModel()],
      ] as const) {
        expect((await uploadRaw(t, name, bytes, operator)).status).toBe(201);
      }
    });

    /** Posts JSON text as written (big integers and NaN literals included). */
    const post = (url: string, text: string) =>
      app.t.inject({
        method: 'POST',
        url,
        payload: text,
        headers: { authorization: `Bearer ${app.viewer}`, 'content-type': 'application/json' },
      });

    it('keeps INT64 and UINT64 exact both ways, and quotes a value out of range exactly', async () => {
      const i64 = await post(
        '/v2/models/i64/infer',
        '{"inputs":[{"name":"x","datatype":"INT64","shape":[2,3],"data":[9223372036854775807,-9223372036854775808,9007199254740993,-9007199254740993,1,0]}]}',
      );
      expect(i64.statusCode, i64.body).toBe(200);
      expect(i64.body).toContain(
        '"data":[9223372036854775807,-9223372036854775808,9007199254740993,-9007199254740993,1,0]',
      );
      const u64 = await post(
        '/v2/models/u64/infer',
        '{"inputs":[{"name":"x","datatype":"UINT64","shape":[1,3],"data":[18446744073709551615,9223372036854775808,0]}]}',
      );
      expect(u64.body).toContain('"data":[18446744073709551615,9223372036854775808,0]');
      const over = await post(
        '/v2/models/i64/infer',
        '{"inputs":[{"name":"x","datatype":"INT64","shape":[1,3],"data":[1,9223372036854775808,2]}]}',
      );
      expect(over.statusCode).toBe(400);
      expect(JSON.parse(over.body).error).toMatch(
        /element 1 is outside the INT64 range .* \(got 9223372036854775808\)/,
      );
      const rounded = await post(
        '/v2/models/i64/infer',
        '{"inputs":[{"name":"x","datatype":"INT64","shape":[1,3],"data":[1,9.007199254740993e15,2]}]}',
      );
      expect(rounded.statusCode).toBe(400);
      expect(JSON.parse(rounded.body).error).toMatch(/element 1 is not exact/);
    });

    it('answers NaN and the infinities as strings, and takes the literals Python writes', async () => {
      for (const [model, datatype] of [
        ['f32', 'FP32'],
        ['f64', 'FP64'],
      ]) {
        const res = await post(
          `/v2/models/${model}/infer`,
          `{"inputs":[{"name":"x","datatype":"${datatype}","shape":[2,3],"data":[NaN,Infinity,-Infinity,"NaN","Infinity",-0.5]}]}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        expect(res.body).toContain('"data":["NaN","Infinity","-Infinity","NaN","Infinity",-0.5]');
        expect(res.body).not.toContain('null');
      }
      const python = await post('/models/f32/predict', '{"instances": [[NaN, 1.5, -Infinity]]}');
      expect(python.statusCode, python.body).toBe(200);
      expect(python.body).toContain('"predictions":[["NaN",1.5,"-Infinity"]]');
    });

    it('maps named instances to a multi-input model, exact INT64 included', async () => {
      const res = await post(
        '/models/masked-ids/predict',
        '{"instances":[{"input_ids":[4611686018427387905,1,7],"attention_mask":[1,1,0]},{"input_ids":[5,6,7],"attention_mask":[0,1,1]}]}',
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toContain('"predictions":[[4611686018427387905,1,0],[0,6,7]]');
      const missing = await post('/models/masked-ids/predict', '{"instances":[{"input_ids":[1,2,3]}]}');
      expect(missing.statusCode).toBe(400);
      expect(JSON.parse(missing.body).detail).toMatch(/instance 0: missing input "attention_mask"/);
      const ragged = await post(
        '/models/masked-ids/predict',
        '{"instances":[{"input_ids":[1,2,3],"attention_mask":[1,1,1]},{"input_ids":[1,2],"attention_mask":[1,1]}]}',
      );
      expect(ragged.statusCode).toBe(400);
      expect(JSON.parse(ragged.body).detail).toMatch(
        /input "input_ids": instance 1 has shape \[2\], instance 0 has \[3\]/,
      );
      const arrays = await post('/models/masked-ids/predict', '{"instances":[[1,2,3]]}');
      expect(arrays.statusCode).toBe(400);
      expect(JSON.parse(arrays.body).detail).toMatch(
        /takes 2 inputs; send each instance as an object keyed by "input_ids", "attention_mask"/,
      );
    });

    it('predicts with text inputs', async () => {
      const res = await post('/models/strings/predict', '{"instances":[["a","b"],["日本","x"]]}');
      expect(res.statusCode, res.body).toBe(200);
      expect(JSON.parse(res.body).predictions).toEqual([
        ['a', 'b'],
        ['日本', 'x'],
      ]);
    });
  });
}
