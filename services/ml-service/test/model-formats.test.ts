import { describe, expect, it } from 'vitest';
import {
  type ExternalPlace,
  externalDataModel,
  IRIS_LABELS,
  noInputModel,
  optionalOutputModel,
  reshapeModel,
  sequenceModel,
  sklearnStyleClassifier,
} from './helpers/exported-models.js';
import { call, uploadRaw } from './helpers/http.js';
import { useTestApp } from './helpers/test-app.js';

/** What real toolchains export: ZipMap classifiers, sequences, optional outputs, no inputs; and external data refused. */

const setosa = [5.1, 3.5, 1.4, 0.2];
const virginica = [7.7, 3.0, 6.1, 2.3];

describe('model formats', () => {
  const app = useTestApp({ ML_BOOTSTRAP_IRIS: 'false' });

  it('serves a scikit-learn classifier: its ZipMap as FP32 [N, classes] with the labels alongside', async () => {
    const up = await uploadRaw(app.t, 'sk-iris', sklearnStyleClassifier(), app.operator);
    expect(up.status, up.body).toBe(201);
    expect(up.json.outputs).toEqual([
      { name: 'output_label', datatype: 'BYTES', shape: ['?'] },
      { name: 'output_probability', datatype: 'FP32', shape: ['?', 3], labels: IRIS_LABELS, from: 'zipmap' },
    ]);
    const meta = await call(app.t, 'GET', '/v2/models/sk-iris', app.viewer);
    expect(meta.json.outputs[1]).toEqual({
      name: 'output_probability',
      datatype: 'FP32',
      shape: [-1, 3],
      parameters: { labels: IRIS_LABELS },
    });
    const res = await call(app.t, 'POST', '/v2/models/sk-iris/infer', app.viewer, {
      inputs: [{ name: 'float_input', datatype: 'FP32', shape: [2, 4], data: [setosa, virginica] }],
    });
    expect(res.status, res.body).toBe(200);
    const [label, probability] = res.json.outputs;
    expect(label).toEqual({
      name: 'output_label',
      datatype: 'BYTES',
      shape: [2],
      data: ['setosa', 'virginica'],
    });
    expect(probability).toMatchObject({
      datatype: 'FP32',
      shape: [2, 3],
      parameters: { labels: IRIS_LABELS },
    });
    const rows = [probability.data.slice(0, 3), probability.data.slice(3)] as number[][];
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(rows[0]![0]).toBeGreaterThan(0.9);
    expect(rows[1]![2]).toBeGreaterThan(0.8);

    const predict = await call(app.t, 'POST', '/models/sk-iris/predict', app.viewer, {
      instances: [setosa, virginica],
    });
    expect(predict.status, predict.body).toBe(200);
    expect(predict.json.predictions).toEqual(['setosa', 'virginica']);
    expect(predict.json.labels).toEqual(['setosa', 'virginica']);
    const probs = predict.json.outputs.output_probability;
    expect(Object.keys(probs[0])).toEqual(IRIS_LABELS);
    expect(probs[0].setosa).toBe(rows[0]![0]);
  });

  it('serves sequence outputs as one output per element, or stacked, as the README documents', async () => {
    expect((await uploadRaw(app.t, 'seq', sequenceModel(), app.operator)).status).toBe(201);
    const res = await call(app.t, 'POST', '/v2/models/seq/infer', app.viewer, {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }],
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape])).toEqual([
      ['y', [2, 3]],
      ['pair.0', [2, 3]],
      ['pair.1', [2, 3]],
      ['rows', [2, 1, 3]],
    ]);
    expect(res.json.outputs[2].data).toEqual([2, 4, 6, 8, 10, 12]);
    expect(res.json.outputs[3].data).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('leaves an optional output out of the answer when the model does not produce it', async () => {
    expect((await uploadRaw(app.t, 'opt', optionalOutputModel(), app.operator)).status).toBe(201);
    const meta = await call(app.t, 'GET', '/v2/models/opt', app.viewer);
    expect(meta.json.outputs[1]).toMatchObject({ name: 'extra', parameters: { optional: true } });
    const ask = (flag: boolean) =>
      call(app.t, 'POST', '/v2/models/opt/infer', app.viewer, {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] },
          { name: 'flag', datatype: 'BOOL', shape: [], data: [flag] },
        ],
      });
    const present = await ask(true);
    expect(present.status, present.body).toBe(200);
    expect(present.json.outputs.map((o: { name: string }) => o.name)).toEqual(['y', 'extra']);
    expect(present.json.outputs[1].data).toEqual([10, 20, 30]);
    const absent = await ask(false);
    expect(absent.json.outputs.map((o: { name: string }) => o.name)).toEqual(['y']);
    const predict = await call(app.t, 'POST', '/models/opt/predict', app.viewer, {
      instances: [{ x: [1, 2, 3], flag: false }],
    });
    expect(predict.status, predict.body).toBe(200);
    expect(predict.json).toMatchObject({ predictions: [[2, 3, 4]] });
    expect(predict.json.outputs).toBeUndefined();
    const two = await call(app.t, 'POST', '/models/opt/predict', app.viewer, {
      instances: [
        { x: [1, 2, 3], flag: true },
        { x: [4, 5, 6], flag: true },
      ],
    });
    expect(two.status).toBe(400);
    expect(two.json.detail).toMatch(
      /input "flag" has no batch dimension \(shape \[\]\); send exactly one instance/,
    );
  });

  it('calls a model that takes no inputs', async () => {
    const up = await uploadRaw(app.t, 'constant', noInputModel(), app.operator);
    expect(up.status, up.body).toBe(201);
    expect(up.json.inputs).toEqual([]);
    const res = await call(app.t, 'POST', '/v2/models/constant/infer', app.viewer, { inputs: [] });
    expect(res.status, res.body).toBe(200);
    // INT64 beyond 2^53 stays exact in the JSON text.
    expect(res.body).toContain('"data":[42,4611686018427387905]');
    const unknown = await call(app.t, 'POST', '/v2/models/constant/infer', app.viewer, {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1], data: [1] }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatch(/takes no inputs/);
    const predict = await call(app.t, 'POST', '/models/constant/predict', app.viewer, { instances: [{}] });
    expect(predict.status, predict.body).toBe(200);
    expect(predict.body).toContain('"predictions":[[42,4611686018427387905]]');
  });

  it.each<[ExternalPlace, RegExp]>([
    ['initializer', /initializer "w"/],
    ['constant', /attribute "value" of node "constant_0" \(Constant\)/],
    ['subgraph', /in the "then_branch" subgraph of node "if_0" \(If\)/],
    ['sparse', /sparse initializer "w_values"/],
  ])('refuses a model with external data in a %s, saying where', async (place, where) => {
    const res = await uploadRaw(app.t, `ext-${place}`, externalDataModel(place, '/etc/passwd'), app.operator);
    expect(res.status, res.body).toBe(422);
    expect(res.json.code).toBe('ML_EXTERNAL_DATA');
    expect(res.json.detail).toMatch(where);
    expect(res.json.detail).toMatch(/save_as_external_data=False/);
    expect(res.body).not.toContain('/etc/passwd');
    expect((await call(app.t, 'GET', `/models/ext-${place}`, app.viewer)).status).toBe(404);
  });

  it("says why the runtime refuses a model or its inputs without onnxruntime's C++ source locations", async () => {
    const future = await uploadRaw(app.t, 'ir-future', reshapeModel(99), app.operator);
    expect(future.status, future.body).toBe(422);
    expect(future.json.detail).toMatch(/onnxruntime cannot load it: Unsupported model IR version: 99/);
    const up = await uploadRaw(app.t, 'reshaper', reshapeModel(), app.operator);
    expect(up.status, up.body).toBe(201);
    const res = await call(app.t, 'POST', '/v2/models/reshaper/infer', app.viewer, {
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [6], data: [1, 2, 3, 4, 5, 6] },
        { name: 'shape', datatype: 'INT64', shape: [2], data: [4, 4] },
      ],
    });
    expect(res.status, res.body).toBe(422);
    expect(res.json.error).toMatch(/cannot be reshaped to the requested shape/);
    for (const text of [future.json.detail, res.json.error]) {
      expect(text).not.toMatch(/\.(cc|h):\d+|onnxruntime::/);
    }
  });
});
