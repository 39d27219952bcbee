import { describe, expect, it } from 'vitest';
import { OnnxDataType } from '../src/onnx/data-types.js';
import { call, uploadRaw } from './helpers/http.js';
import { INFER_PATHS, useTestApp } from './helpers/test-app.js';
import {
  customOpModel,
  emptyOutputModel,
  identityModel,
  initializersAsInputsModel,
  lightgbmClassifier,
  missingKernelModel,
  scalarOutputModel,
  sklearnTextModel,
  tf2onnxImageModel,
  torchDefaultNamesModel,
  torchTokenModel,
  xgboostRegressor,
} from './helpers/toolchain-models.js';

/**
 * Models shaped like the exports of PyTorch, tf2onnx, onnxmltools (LightGBM, XGBoost) and
 * skl2onnx, deployed and called through the API as a user would, each with real onnxruntime runs.
 */

const pixels = [1, 2, 3, 1, 2, 3, 5, 6, 7, 5, 6, 7]; // NHWC [1, 2, 2, 3]

describe('models from other toolchains', () => {
  const app = useTestApp({ ML_BOOTSTRAP_IRIS: 'false' });
  const infer = (model: string, inputs: unknown[]) =>
    call(app.t, 'POST', `/v2/models/${model}/infer`, app.viewer, { inputs });
  const predict = (model: string, instances: unknown[]) =>
    call(app.t, 'POST', `/models/${model}/predict`, app.viewer, { instances });
  const deploy = async (model: string, bytes: Uint8Array) => {
    const up = await uploadRaw(app.t, model, bytes, app.operator);
    expect(up.status, up.body).toBe(201);
    return up;
  };

  it('serves a torch.onnx.export token model: INT64 ids and an FP32 mask sharing named dims', async () => {
    for (const [model, opset] of [
      ['torch17', 17],
      ['torch18', 18],
    ] as const) {
      await deploy(model, torchTokenModel(opset));
      const ids = { name: 'input_ids', datatype: 'INT64', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
      const mask = { name: 'attention_mask', datatype: 'FP32', shape: [2, 3], data: [1, 1, 0, 1, 0, 0] };
      const ok = await infer(model, [ids, mask]);
      expect(ok.status, ok.body).toBe(200);
      expect(ok.json.outputs).toEqual([{ name: 'output', datatype: 'FP32', shape: [2], data: [3, 4] }]);
      // A longer sequence in another request is fine: `sequence` is dynamic.
      const longer = await infer(model, [
        { ...ids, shape: [1, 4], data: [1, 1, 1, 1] },
        { ...mask, shape: [1, 4], data: [1, 1, 1, 1] },
      ]);
      expect(longer.json.outputs[0].data).toEqual([4]);
    }
    const meta = await call(app.t, 'GET', '/v2/models/torch17', app.viewer);
    expect(meta.json.inputs).toEqual([
      { name: 'input_ids', datatype: 'INT64', shape: [-1, -1] },
      { name: 'attention_mask', datatype: 'FP32', shape: [-1, -1] },
    ]);
    const wrongType = await infer('torch17', [
      { name: 'input_ids', datatype: 'FP32', shape: [1, 2], data: [1, 2] },
      { name: 'attention_mask', datatype: 'FP32', shape: [1, 2], data: [1, 1] },
    ]);
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.error).toBe('input "input_ids": datatype FP32 given, model expects INT64');
    const byRow = await predict('torch17', [
      { input_ids: [1, 2, 3], attention_mask: [1, 1, 0] },
      { input_ids: [4, 5, 6], attention_mask: [1, 0, 0] },
    ]);
    expect(byRow.status, byRow.body).toBe(200);
    expect(byRow.json.predictions).toEqual([3, 4]);
  });

  it("serves PyTorch's default names (input.1) and tf2onnx's (serving_default_x:0, NHWC)", async () => {
    await deploy('torch-names', torchDefaultNamesModel());
    const t = await infer('torch-names', [
      { name: 'input.1', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] },
    ]);
    expect(t.json.outputs).toEqual([{ name: '7', datatype: 'FP32', shape: [1, 3], data: [2, 4, 6] }]);
    expect((await predict('torch-names', [{ 'input.1': [1, 2, 3] }])).json.predictions).toEqual([[2, 4, 6]]);

    await deploy('tf-image', tf2onnxImageModel());
    const meta = await call(app.t, 'GET', '/v2/models/tf-image', app.viewer);
    expect(meta.json.inputs).toEqual([
      { name: 'serving_default_x:0', datatype: 'FP32', shape: [-1, 2, 2, 3] },
    ]);
    const res = await infer('tf-image', [
      { name: 'serving_default_x:0', datatype: 'FP32', shape: [1, 2, 2, 3], data: pixels },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs).toEqual([
      { name: 'StatefulPartitionedCall:0', datatype: 'FP32', shape: [1, 3], data: [3, 4, 5] },
    ]);
    const nchw = await infer('tf-image', [
      { name: 'serving_default_x:0', datatype: 'FP32', shape: [1, 3, 2, 2], data: pixels },
    ]);
    expect(nchw.status).toBe(400);
    expect(nchw.json.error).toMatch(/dimension 1 is 3, model expects 2/);
    const bare = await infer('tf-image', [
      { name: 'serving_default_x', datatype: 'FP32', shape: [1, 2, 2, 3], data: pixels },
    ]);
    expect(bare.json.error).toBe('unknown input "serving_default_x"; the model takes "serving_default_x:0"');
    for (const instance of [pixels, { 'serving_default_x:0': pixels }]) {
      const p = await predict('tf-image', [instance]);
      expect(p.status, p.body).toBe(200);
      expect(p.json.predictions).toEqual([[3, 4, 5]]);
    }
  });

  it('serves LightGBM and XGBoost tree ensembles; integer classes stay integers in the labels', async () => {
    await deploy('lgbm', lightgbmClassifier(true));
    const meta = await call(app.t, 'GET', '/v2/models/lgbm', app.viewer);
    expect(meta.json.outputs).toEqual([
      { name: 'label', datatype: 'INT64', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 2], parameters: { labels: [0, 1] } },
    ]);
    const res = await infer('lgbm', [{ name: 'input', datatype: 'FP32', shape: [2, 2], data: [0, 0, 1, 1] }]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs[0].data).toEqual([0, 1]);
    const p = await predict('lgbm', [
      [0, 0],
      [1, 1],
    ]);
    expect(p.json.predictions).toEqual([0, 1]);
    expect(p.json.labels).toEqual([0, 1]);
    expect(p.json.outputs.probabilities[1]['1']).toBeCloseTo(0.881, 3);

    await deploy('xgb', xgboostRegressor());
    const r = await predict('xgb', [
      [0, 0],
      [1, 1],
    ]);
    expect(r.status, r.body).toBe(200);
    expect(r.json.predictions).toEqual([[10], [20]]);
    expect(r.json.labels).toBeUndefined();
  });

  it("labels a classifier's plain probability tensor (zipmap=False) from the classifier node", async () => {
    await deploy('lgbm-plain', lightgbmClassifier(false));
    const meta = await call(app.t, 'GET', '/v2/models/lgbm-plain', app.viewer);
    expect(meta.json.outputs[1]).toEqual({
      name: 'probabilities',
      datatype: 'FP32',
      shape: [-1, 2],
      parameters: { labels: [0, 1] },
    });
    const p = await predict('lgbm-plain', [
      [0, 0],
      [1, 1],
    ]);
    expect(p.status, p.body).toBe(200);
    expect(p.json.labels).toEqual([0, 1]);
    // Plain scores stay arrays per row, as the model declares them.
    expect(p.json.outputs.probabilities[0]).toEqual([0.5, expect.closeTo(0.119, 3)]);
  });

  it('serves an skl2onnx text pipeline (STRING [N, 1] through StringNormalizer and TfIdfVectorizer)', async () => {
    const up = await uploadRaw(app.t, 'text', sklearnTextModel(), app.operator);
    expect(up.status, up.body).toBe(201);
    expect(up.json.inputs).toEqual([{ name: 'text', datatype: 'BYTES', shape: ['?', 1] }]);
    const res = await infer('text', [
      { name: 'text', datatype: 'BYTES', shape: [3, 1], data: ['Spam spam HAM', 'ham', 'nothing here'] },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs[0]).toMatchObject({ shape: [3, 2], data: [2, 1, 0, 1, 0, 0] });
    const p = await predict('text', [['SPAM'], ['ham ham']]);
    expect(p.status, p.body).toBe(200);
    expect(p.json.predictions).toEqual([
      [1, 0],
      [0, 2],
    ]);
    const notText = await infer('text', [{ name: 'text', datatype: 'BYTES', shape: [1, 1], data: [5] }]);
    expect(notText.status).toBe(400);
    expect(notText.json.error).toMatch(/element 0 is not a string/);
  });

  it.each([
    ['FP16', OnnxDataType.FLOAT16, [1.5, -65504]],
    ['FP64', OnnxDataType.DOUBLE, [0.1, 1e300]],
    ['BOOL', OnnxDataType.BOOL, [true, false]],
    ['INT8', OnnxDataType.INT8, [-128, 127]],
    ['UINT8', OnnxDataType.UINT8, [0, 255]],
    ['INT32', OnnxDataType.INT32, [-2147483648, 2147483647]],
  ] as const)('passes %s inputs and outputs through exactly', async (datatype, elemType, data) => {
    const model = `id-${datatype.toLowerCase()}`;
    await deploy(model, identityModel(elemType));
    const res = await infer(model, [{ name: 'x', datatype, shape: [1, 2], data }]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs).toEqual([{ name: 'y', datatype, shape: [1, 2], data }]);
    expect((await predict(model, [data])).json.predictions).toEqual([data]);
    const wrong = await infer(model, [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [1, 2] }]);
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe(`input "x": datatype FP32 given, model expects ${datatype}`);
  });

  it('answers a scalar output as the value itself and a 0-sized output as an empty tensor', async () => {
    await deploy('scalar', scalarOutputModel());
    const x = { name: 'x', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
    const s = await infer('scalar', [x]);
    expect(s.json.outputs).toEqual([{ name: 'total', datatype: 'FP32', shape: [], data: [21] }]);
    const p = await predict('scalar', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(p.status, p.body).toBe(200);
    expect(p.json.predictions).toEqual([21]);

    await deploy('empty', emptyOutputModel());
    const e = await infer('empty', [x]);
    expect(e.status, e.body).toBe(200);
    expect(e.json.outputs[1]).toEqual({ name: 'empty', datatype: 'FP32', shape: [2, 0], data: [] });
  });

  it('takes one instance for an input whose first dimension is fixed at 1, and says so for more', async () => {
    await deploy('fixed-one', identityModel(OnnxDataType.FLOAT, [1, 3]));
    expect((await predict('fixed-one', [[1, 2, 3]])).json.predictions).toEqual([[1, 2, 3]]);
    const two = await predict('fixed-one', [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(two.status, two.body).toBe(400);
    expect(two.json.detail).toBe(
      'input "x" has its first dimension fixed at 1 (shape [1,3]): send 1 instance per request, not 2',
    );
    const v2 = await infer('fixed-one', [
      { name: 'x', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
    ]);
    expect(v2.status).toBe(400);
    expect(v2.json.error).toMatch(/dimension 0 is 2, model expects 1/);
  });

  it('serves IR 9 to 11 and opsets 20 to 23, and names the highest opset the runtime takes', async () => {
    for (const [ir, opset] of [
      [9, 20],
      [10, 21],
      [11, 23],
    ]) {
      const model = `ir${ir}`;
      await deploy(
        model,
        identityModel(OnnxDataType.FLOAT, ['N', 2], { irVersion: ir, opsetVersion: opset }),
      );
      const res = await infer(model, [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [1, 2] }]);
      expect(res.json.outputs[0].data).toEqual([1, 2]);
    }
    const future = await uploadRaw(
      app.t,
      'opset-future',
      identityModel(OnnxDataType.FLOAT, ['N', 2], { irVersion: 10, opsetVersion: 99 }),
      app.operator,
    );
    expect(future.status).toBe(422);
    expect(future.json.detail).toMatch(/Fix: export the model with opset \d+ or lower for domain "ai.onnx"$/);
  });

  it("shows the file's metadata_props in the V2 model metadata", async () => {
    await deploy(
      'with-meta',
      identityModel(OnnxDataType.FLOAT, ['N', 2], { metadata: { author: 'ana', framework: 'torch 2.1' } }),
    );
    const meta = await call(app.t, 'GET', '/v2/models/with-meta', app.viewer);
    expect(meta.json.parameters).toEqual({ metadata: { author: 'ana', framework: 'torch 2.1' } });
    await deploy('no-meta', identityModel(OnnxDataType.FLOAT));
    expect((await call(app.t, 'GET', '/v2/models/no-meta', app.viewer)).json.parameters).toBeUndefined();
  });

  it('does not ask the caller for initializers an older exporter listed among the inputs', async () => {
    const up = await deploy('legacy', initializersAsInputsModel());
    expect(up.json.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: ['N', 2] }]);
    const res = await infer('legacy', [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [1, 2] }]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs[0].data).toEqual([3.5]);
    expect((await predict('legacy', [[1, 2]])).json.predictions).toEqual([[3.5]]);
  });

  it('names the operator onnxruntime cannot run, and the fix', async () => {
    const custom = await uploadRaw(app.t, 'custom-op', customOpModel(), app.operator);
    expect(custom.status).toBe(422);
    expect(custom.json.detail).toMatch(
      /com\.example:FancyOp\(-1\) is not a registered function\/op\. Fix: operator FancyOp of domain "com\.example" is not one onnxruntime provides/,
    );
    const kernel = await uploadRaw(app.t, 'erf-double', missingKernelModel(), app.operator);
    expect(kernel.status).toBe(422);
    expect(kernel.json.detail).toMatch(
      /Could not find an implementation for Erf\(13\) node with name '[^']*'\. Fix: onnxruntime has no Erf \(opset 13\) kernel .* export the model in FP32/,
    );
  });
});

for (const lean of INFER_PATHS) {
  describe(`named dimensions shared by inputs (lean infer ${lean})`, () => {
    const app = useTestApp({ ML_BOOTSTRAP_IRIS: 'false', ML_LEAN_INFER: lean }, async ({ t, operator }) => {
      expect((await uploadRaw(t, 'torch-dims', torchTokenModel(), operator)).status).toBe(201);
    });

    it('refuses inputs giving one named dimension two sizes, naming it, before the runtime trips on it', async () => {
      const res = await call(app.t, 'POST', '/v2/models/torch-dims/infer', app.viewer, {
        inputs: [
          { name: 'input_ids', datatype: 'INT64', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
          { name: 'attention_mask', datatype: 'FP32', shape: [2, 2], data: [1, 1, 0, 1] },
        ],
      });
      expect(res.status, res.body).toBe(400);
      expect(res.json.error).toBe(
        'inputs "input_ids" and "attention_mask" share dimension "sequence" but give it 3 and 2',
      );
      const rows = await call(app.t, 'POST', '/models/torch-dims/predict', app.viewer, {
        instances: [{ input_ids: [1, 2, 3], attention_mask: [1, 1] }],
      });
      expect(rows.status, rows.body).toBe(400);
      expect(rows.json.detail).toMatch(/share dimension "sequence" but give it 3 and 2/);
    });
  });
}
