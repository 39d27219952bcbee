import { describe, expect, it } from 'vitest';
import { call, uploadRaw } from './helpers/http.js';
import {
  contribOpModel,
  derivedDimModel,
  dictVectorizerModel,
  kerasHalfModel,
  sklearnCategoryClassifier,
  sklearnDoubleModel,
  sklearnLabelEncoder,
  tf2onnxAnyRankModel,
  tf2onnxWhereModel,
  torchDynamoModel,
  torchLinearModel,
  twoBatchNamesModel,
  unknownDomainModel,
  unservedTypeModel,
} from './helpers/more-toolchain-models.js';
import { useTestApp } from './helpers/test-app.js';

/**
 * More exports, each checked through upload (the signature shown), V2 JSON and binary
 * inference, /predict and the errors a caller meets, against values computed by hand.
 */

const le = (bytes: number, write: (b: Buffer, i: number) => void, count: number) => {
  const b = Buffer.alloc(bytes * count);
  for (let i = 0; i < count; i++) write(b, i);
  return b;
};
const f32 = (values: number[]) => le(4, (b, i) => b.writeFloatLE(values[i]!, i * 4), values.length);
const i64 = (values: bigint[]) => le(8, (b, i) => b.writeBigInt64LE(values[i]!, i * 8), values.length);
const bytesOf = (texts: string[]) =>
  Buffer.concat(
    texts.flatMap((t) => {
      const len = Buffer.alloc(4);
      len.writeUInt32LE(Buffer.byteLength(t));
      return [len, Buffer.from(t)];
    }),
  );

describe('exports of more toolchains, through every route', () => {
  const app = useTestApp({ ML_BOOTSTRAP_IRIS: 'false' });
  const infer = (model: string, inputs: unknown[]) =>
    call(app.t, 'POST', `/v2/models/${model}/infer`, app.viewer, { inputs });
  const predict = (model: string, instances: unknown[]) =>
    call(app.t, 'POST', `/models/${model}/predict`, app.viewer, { instances });
  const metadata = async (model: string) =>
    (await call(app.t, 'GET', `/v2/models/${model}`, app.viewer)).json;
  const deploy = async (model: string, bytes: Uint8Array) => {
    const up = await uploadRaw(app.t, model, bytes, app.operator);
    expect(up.status, up.body).toBe(201);
    return up.json;
  };
  /** A binary request (every input binary, every output asked for binary): the header and each output's bytes. */
  const binary = async (model: string, inputs: { header: object; bytes: Buffer }[]) => {
    const json = Buffer.from(
      JSON.stringify({
        inputs: inputs.map((i) => ({ ...i.header, parameters: { binary_data_size: i.bytes.length } })),
        parameters: { binary_data_output: true },
      }),
    );
    const res = await app.t.inject({
      method: 'POST',
      url: `/v2/models/${model}/infer`,
      payload: Buffer.concat([json, ...inputs.map((i) => i.bytes)]),
      headers: {
        authorization: `Bearer ${app.viewer}`,
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(json.length),
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const length = Number(res.headers['inference-header-content-length']);
    const header = JSON.parse(res.rawPayload.subarray(0, length).toString('utf8'));
    let pos = length;
    const parts: Record<string, string> = {};
    for (const o of header.outputs) {
      const size = o.parameters.binary_data_size as number;
      parts[o.name] = res.rawPayload.subarray(pos, pos + size).toString('hex');
      pos += size;
    }
    expect(pos).toBe(res.rawPayload.length);
    return { header, parts };
  };

  it('serves torch.onnx.export graphs from IR 3 / opset 9 to IR 10 / opset 21: numbered outputs, onnx:: inputs', async () => {
    for (const [ir, opset] of [
      [3, 9],
      [4, 9],
      [5, 10],
      [6, 11],
      [7, 13],
      [8, 16],
      [9, 19],
      [10, 21],
    ] as const) {
      const model = `torch-ir${ir}-opset${opset}`;
      const up = await deploy(model, torchLinearModel(ir, opset));
      // IR 3 also lists the weights among the graph inputs; they are not asked of the caller.
      expect(up.inputs, model).toEqual([{ name: 'onnx::Gemm_0', datatype: 'FP32', shape: ['N', 2] }]);
      expect((await metadata(model)).outputs, model).toEqual([
        { name: '5', datatype: 'FP32', shape: [-1, 1] },
        { name: '6', datatype: 'FP32', shape: [-1, 1, 1] },
      ]);
      // [1, 1] @ [2, 3]^T + 0.5 = 5.5; [0, 2] -> 6.5
      const res = await infer(model, [
        { name: 'onnx::Gemm_0', datatype: 'FP32', shape: [2, 2], data: [1, 1, 0, 2] },
      ]);
      expect(res.status, res.body).toBe(200);
      expect(res.json.outputs, model).toEqual([
        { name: '5', datatype: 'FP32', shape: [2, 1], data: [5.5, 6.5] },
        { name: '6', datatype: 'FP32', shape: [2, 1, 1], data: [5.5, 6.5] },
      ]);
    }
    const p = await predict('torch-ir3-opset9', [
      [1, 1],
      [0, 2],
    ]);
    expect(p.json.predictions).toEqual([[5.5], [6.5]]);
    const b = await binary('torch-ir10-opset21', [
      { header: { name: 'onnx::Gemm_0', datatype: 'FP32', shape: [1, 2] }, bytes: f32([1, 1]) },
    ]);
    expect(b.header.outputs.map((o: { shape: number[] }) => o.shape)).toEqual([
      [1, 1],
      [1, 1, 1],
    ]);
    expect(b.parts).toEqual({ '5': f32([5.5]).toString('hex'), '6': f32([5.5]).toString('hex') });
    const future = await uploadRaw(app.t, 'torch-ir99', torchLinearModel(99, 21), app.operator);
    expect(future.status).toBe(422);
    expect(future.json.detail).toMatch(
      /Unsupported model IR version: 99, max supported IR version: (\d+)\. Fix: export the model with IR version \1 or lower/,
    );
  });

  it('serves a dynamo export: IR 10, s0 dims, a model-local function and node metadata_props', async () => {
    const up = await deploy('torch-dynamo', torchDynamoModel());
    expect(up.inputs).toEqual([{ name: 'x', datatype: 'FP32', shape: ['s0', 2] }]);
    // Scale(x) = x * 2, then + 1
    const res = await infer('torch-dynamo', [
      { name: 'x', datatype: 'FP32', shape: [2, 2], data: [1, 2, 3, 4] },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs).toEqual([{ name: 'add', datatype: 'FP32', shape: [2, 2], data: [3, 5, 7, 9] }]);
    const rows = await Promise.all([1, 2, 3].map((k) => predict('torch-dynamo', [[k, -k]])));
    expect(rows.map((r) => r.json.predictions)).toEqual([[[3, -1]], [[5, -3]], [[7, -5]]]);
  });

  it('serves a tf2onnx graph taking INT64 and BOOL inputs with unk__ dims and / in names', async () => {
    const up = await deploy('tf-where', tf2onnxWhereModel());
    expect(up.inputs).toEqual([
      { name: 'ids:0', datatype: 'INT64', shape: ['unk__12'] },
      { name: 'keep:0', datatype: 'BOOL', shape: ['unk__13'] },
    ]);
    expect((await metadata('tf-where')).outputs).toEqual([
      { name: 'model/where/SelectV2:0', datatype: 'INT64', shape: [-1] },
    ]);
    const big = 2n ** 62n + 1n;
    const res = await call(
      app.t,
      'POST',
      '/v2/models/tf-where/infer',
      app.viewer,
      Buffer.from(
        `{"inputs":[{"name":"ids:0","datatype":"INT64","shape":[3],"data":[${big},9,-3]},` +
          '{"name":"keep:0","datatype":"BOOL","shape":[3],"data":[true,false,true]}]}',
      ),
      { 'content-type': 'application/json' },
    );
    expect(res.status, res.body).toBe(200);
    expect(res.body).toContain(`"data":[${big},0,-3]`);
    const b = await binary('tf-where', [
      { header: { name: 'ids:0', datatype: 'INT64', shape: [3] }, bytes: i64([7n, 9n, -3n]) },
      { header: { name: 'keep:0', datatype: 'BOOL', shape: [3] }, bytes: Buffer.from([1, 0, 1]) },
    ]);
    expect(b.parts['model/where/SelectV2:0']).toBe(i64([7n, 0n, -3n]).toString('hex'));
    const p = await predict('tf-where', [
      { 'ids:0': 7, 'keep:0': true },
      { 'ids:0': 9, 'keep:0': false },
    ]);
    expect(p.status, p.body).toBe(200);
    expect(p.json.predictions).toEqual([7, 0]);
    // Dims of different names are not tied by the service; the runtime says why 3 and 2 do not go.
    const mismatch = await infer('tf-where', [
      { name: 'ids:0', datatype: 'INT64', shape: [3], data: [7, 9, -3] },
      { name: 'keep:0', datatype: 'BOOL', shape: [2], data: [true, false] },
    ]);
    expect(mismatch.status).toBe(422);
    expect(mismatch.headers['x-error-code']).toBe('ML_INFERENCE_REJECTED');
    expect(mismatch.json.error).toMatch(
      /^The runtime refused these inputs: .*Where node\. Name:'model\/where\/SelectV2'.*broadcast an axis by a dimension other than 1\. 2 by 3$/,
    );
  });

  it('shows a tensor declared without a shape as taking any rank, and serves it so', async () => {
    const up = await deploy('tf-any-rank', tf2onnxAnyRankModel());
    expect(up.inputs).toEqual([{ name: 'x:0', datatype: 'FP32', shape: [], anyRank: true }]);
    expect(up.outputs).toEqual([{ name: 'Identity:0', datatype: 'FP32', shape: [], anyRank: true }]);
    const meta = await metadata('tf-any-rank');
    expect(meta.inputs).toEqual([
      { name: 'x:0', datatype: 'FP32', shape: [], parameters: { any_rank: true } },
    ]);
    expect(meta.outputs[0].parameters).toEqual({ any_rank: true });
    for (const [shape, data] of [
      [[], [1.5]],
      [[3], [1, 2, 3]],
      [
        [2, 1, 2],
        [1, 2, 3, 4],
      ],
    ] as const) {
      const res = await infer('tf-any-rank', [{ name: 'x:0', datatype: 'FP32', shape, data }]);
      expect(res.status, res.body).toBe(200);
      expect(res.json.outputs[0]).toMatchObject({ shape, data: data.map((v) => v * 2) });
    }
    // Instances are rows, stacked on a first dimension, as for any model.
    const p = await predict('tf-any-rank', [
      [1, 2],
      [3, 4],
    ]);
    expect(p.status, p.body).toBe(200);
    expect(p.json.predictions).toEqual([
      [2, 4],
      [6, 8],
    ]);
  });

  it('serves inputs with batch dimensions of their own (batch_a, batch_b) given different sizes', async () => {
    const up = await deploy('two-batches', twoBatchNamesModel());
    expect(up.outputs).toEqual([
      { name: 'stacked', datatype: 'FP32', shape: ['batch_a + batch_b', 2] },
      { name: 'wide', datatype: 'FP32', shape: ['batch_a', '2*2'] },
    ]);
    expect(up.batching.enabled).toBe(false);
    const answers = await Promise.all(
      [1, 2, 3].map((k) =>
        infer('two-batches', [
          { name: 'a', datatype: 'FP32', shape: [1, 2], data: [k, k] },
          { name: 'b', datatype: 'FP32', shape: [k, 2], data: Array(2 * k).fill(-k) },
        ]),
      ),
    );
    answers.forEach((res, i) => {
      const k = i + 1;
      expect(res.status, res.body).toBe(200);
      expect(res.json.outputs).toEqual([
        { name: 'stacked', datatype: 'FP32', shape: [1 + k, 2], data: [k, k, ...Array(2 * k).fill(-k)] },
        { name: 'wide', datatype: 'FP32', shape: [1, 4], data: [k, k, k, k] },
      ]);
    });
    // A version told to merge requests cannot take them: the refusal names each input's rows.
    const patch = await call(app.t, 'PATCH', '/models/two-batches/versions/1', app.operator, {
      batching: 'on',
    });
    expect(patch.status, patch.body).toBe(200);
    const refused = await infer('two-batches', [
      { name: 'a', datatype: 'FP32', shape: [1, 2], data: [1, 1] },
      { name: 'b', datatype: 'FP32', shape: [2, 2], data: [1, 1, 1, 1] },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe(
      'inputs disagree on the batch dimension ("a" 1 vs "b" 2); this version may merge requests by rows, so every input must give the same number: send them so, or set its batching "off"',
    );
  });

  it('batches a model whose output dimension is derived from an input (M*2) without mixing widths', async () => {
    await deploy('derived', derivedDimModel());
    const answers = await Promise.all(
      [1, 2, 3, 4].map((k) =>
        infer('derived', [{ name: 'x', datatype: 'FP32', shape: [1, k], data: Array(k).fill(k) }]),
      ),
    );
    answers.forEach((res, i) => {
      const k = i + 1;
      expect(res.json.outputs).toEqual([
        { name: 'y', datatype: 'FP32', shape: [1, 2 * k], data: Array(2 * k).fill(k) },
      ]);
    });
  });

  it('serves skl2onnx string pipelines: one-hot to INT64 classes with a ZipMap, a LabelEncoder on [N] strings', async () => {
    const up = await deploy('sk-color', sklearnCategoryClassifier());
    expect(up.outputs).toEqual([
      { name: 'output_label', datatype: 'INT64', shape: ['?'] },
      { name: 'output_probability', datatype: 'FP32', shape: ['?', 2], labels: [10, 20], from: 'zipmap' },
    ]);
    // red [1, 0] -> scores 1.25, 0; green [0, 1] -> 0.25, 2; blue (unknown) [0, 0] -> 0.25, 0
    const res = await infer('sk-color', [
      { name: 'color', datatype: 'BYTES', shape: [3, 1], data: ['red', 'green', 'blue'] },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs).toEqual([
      { name: 'output_label', datatype: 'INT64', shape: [3], data: [10, 20, 10] },
      {
        name: 'output_probability',
        datatype: 'FP32',
        shape: [3, 2],
        parameters: { labels: [10, 20] },
        data: [1.25, 0, 0.25, 2, 0.25, 0],
      },
    ]);
    const b = await binary('sk-color', [
      { header: { name: 'color', datatype: 'BYTES', shape: [2, 1] }, bytes: bytesOf(['red', 'green']) },
    ]);
    expect(b.parts).toEqual({
      output_label: i64([10n, 20n]).toString('hex'),
      output_probability: f32([1.25, 0, 0.25, 2]).toString('hex'),
    });
    const p = await predict('sk-color', [['red'], ['green']]);
    expect(p.json.labels).toEqual([10, 20]);
    expect(p.json.outputs.output_probability).toEqual([
      { '10': 1.25, '20': 0 },
      { '10': 0.25, '20': 2 },
    ]);

    await deploy('sk-fruit', sklearnLabelEncoder());
    const codes = await infer('sk-fruit', [
      { name: 'fruit', datatype: 'BYTES', shape: [3], data: ['apple', 'kiwi', 'pear'] },
    ]);
    expect(codes.json.outputs).toEqual([{ name: 'code', datatype: 'INT64', shape: [3], data: [0, -1, 1] }]);
    // A rank-1 input's row is one value, given alone or in a list of one.
    for (const instances of [
      ['apple', 'pear'],
      [['apple'], ['pear']],
    ]) {
      const rows = await predict('sk-fruit', instances);
      expect(rows.status, rows.body).toBe(200);
      expect(rows.json.predictions).toEqual([0, 1]);
    }
  });

  it('serves an skl2onnx FP64 pipeline: string classes from a cast input and an FP64 regression', async () => {
    await deploy('sk-double', sklearnDoubleModel());
    // [3, 1]: no = 3 - 1 = 2, yes = -2, variable = 3 + 2 = 5; [0, 2]: no = -2, yes = 2, variable = 4
    const res = await infer('sk-double', [
      { name: 'X', datatype: 'FP64', shape: [2, 2], data: [3, 1, 0, 2] },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json.outputs).toEqual([
      { name: 'output_label', datatype: 'BYTES', shape: [2], data: ['no', 'yes'] },
      {
        name: 'output_probability',
        datatype: 'FP32',
        shape: [2, 2],
        parameters: { labels: ['no', 'yes'] },
        data: [2, -2, -2, 2],
      },
      { name: 'variable', datatype: 'FP64', shape: [2, 1], data: [5, 4] },
    ]);
    const p = await predict('sk-double', [
      [3, 1],
      [0, 2],
    ]);
    expect(p.json.predictions).toEqual(['no', 'yes']);
    expect(p.json.outputs.variable).toEqual([[5], [4]]);
  });

  it('serves a Keras FP16 export with a rank-0 output, and says why it is not batched', async () => {
    const up = await deploy('keras-half', kerasHalfModel());
    expect(up.outputs).toEqual([
      { name: 'dense', datatype: 'FP16', shape: ['unk__5', 2] },
      { name: 'mean', datatype: 'FP16', shape: [] },
    ]);
    expect(up.batching.reason).toBe(
      'output "mean" declares no batch dimension (it is a scalar, or its shape is not declared)',
    );
    // x * 1.5 + 0.25: 1.75, 3.25, -1.25, 1; their mean 1.1875 (all exact in FP16)
    const res = await infer('keras-half', [
      { name: 'input_1', datatype: 'FP16', shape: [2, 2], data: [1, 2, -1, 0.5] },
    ]);
    expect(res.json.outputs).toEqual([
      { name: 'dense', datatype: 'FP16', shape: [2, 2], data: [1.75, 3.25, -1.25, 1] },
      { name: 'mean', datatype: 'FP16', shape: [], data: [1.1875] },
    ]);
    const half = (bits: number[]) => Buffer.from(Uint16Array.from(bits).buffer).toString('hex');
    // 1 = 0x3c00, 2 = 0x4000 -> 1.75 = 0x3f00, 3.25 = 0x4280; mean 2.5 = 0x4100
    const b = await binary('keras-half', [
      {
        header: { name: 'input_1', datatype: 'FP16', shape: [1, 2] },
        bytes: Buffer.from(Uint16Array.of(0x3c00, 0x4000).buffer),
      },
    ]);
    expect(b.parts).toEqual({ dense: half([0x3f00, 0x4280]), mean: half([0x4100]) });
  });

  it('serves com.microsoft contrib ops and shows the metadata', async () => {
    const up = await deploy('fused', contribOpModel());
    expect(up.metadata).toEqual({ 'onnx.infer': 'onnxruntime.quant', source: 'bert' });
    expect((await metadata('fused')).parameters).toEqual({
      metadata: { 'onnx.infer': 'onnxruntime.quant', source: 'bert' },
    });
    const res = await infer('fused', [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [1, 1] }]);
    expect(res.json.outputs[0].data).toEqual([2, 6]);
  });

  it('refuses inputs no V2 datatype carries, naming the type and what to export instead', async () => {
    for (const [elemType, name] of [
      [17, 'FLOAT8E4M3FN (17)'],
      [22, 'INT4 (22)'],
      [14, 'COMPLEX64 (14)'],
    ] as const) {
      const up = await uploadRaw(app.t, `unserved-${elemType}`, unservedTypeModel(elemType), app.operator);
      expect(up.status).toBe(422);
      expect(up.json.detail).toBe(
        `The upload is not a loadable ONNX model: input "x" has element type ${name}, which the inference protocol has no datatype for: give it a type the protocol carries (FP32, FP16, BF16, FP64, INT8 to INT64, UINT8 to UINT64, BOOL, STRING) and cast inside the graph, then export the model again`,
      );
    }
    const dict = await uploadRaw(app.t, 'dict-vectorizer', dictVectorizerModel(), app.operator);
    expect(dict.status).toBe(422);
    expect(dict.json.detail).toMatch(
      /input "features" is a map; only tensor inputs are served: export the model with tensor inputs \(for a scikit-learn DictVectorizer, convert the steps after it/,
    );
  });

  it('names the operator and domain of an op from a domain the runtime lacks, and the fix', async () => {
    const imported = await uploadRaw(app.t, 'ext-imported', unknownDomainModel(true), app.operator);
    expect(imported.status).toBe(422);
    expect(imported.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(imported.json.detail).toMatch(
      /ai\.onnx\.contrib:StringRegexReplace\(-1\) is not a registered function\/op\. Fix: operator StringRegexReplace of domain "ai\.onnx\.contrib" is not one onnxruntime provides/,
    );
    const undeclared = await uploadRaw(app.t, 'ext-undeclared', unknownDomainModel(false), app.operator);
    expect(undeclared.status).toBe(422);
    expect(undeclared.json.detail).toMatch(
      /No opset import for domain 'ai\.onnx\.contrib'\. Fix: node "regex" uses operator StringRegexReplace of domain "ai\.onnx\.contrib", which the model's opset_import does not list: export it with that domain imported/,
    );
  });
});
