import { OnnxDataType } from '../../src/onnx/data-types.js';
import { buildModel, type Dim, type NodeSpec, type ValueSpec } from '../../src/onnx/model-builder.js';
import { writeNode } from '../../src/onnx/proto-writers.js';
import { ProtoWriter, readFields } from '../../src/onnx/protobuf.js';

/**
 * More exports as other toolchains write them: torch.onnx.export across IR 3..10 and opsets
 * 9..21, tf2onnx INT64/BOOL inputs with `unk__` dims, skl2onnx string and double pipelines,
 * Keras FP16 models, inputs with different batch names, contrib ops and unknown domains.
 */

const { FLOAT, INT64, STRING, BOOL, FLOAT16, DOUBLE } = OnnxDataType;

const i64 = (name: string, values: bigint[]) => ({
  name,
  dims: [values.length],
  dataType: INT64,
  data: BigInt64Array.from(values),
});

/**
 * `torch.onnx.export(nn.Linear(2, 1))` then `unsqueeze(-1)`: `onnx::Gemm_0` FP32 [N, 2] ->
 * `5` = x @ [[2], [3]] + 0.5, FP32 [N, 1], and `6` = that unsqueezed, FP32 [N, 1, 1]. The
 * Unsqueeze takes its axes as an attribute before opset 13 and as an input from 13 on. IR 3
 * graphs also list their initializers as inputs, as exporters of that time did.
 */
export function torchLinearModel(irVersion: number, opsetVersion: number): Uint8Array {
  const axesAsInput = opsetVersion >= 13;
  const weights = [
    { name: 'linear.weight', dims: [1, 2], data: Float32Array.of(2, 3) },
    { name: 'linear.bias', dims: [1], data: Float32Array.of(0.5) },
  ];
  return buildModel({
    graphName: 'torch_jit',
    irVersion,
    opsetVersion,
    producerName: 'pytorch',
    producerVersion: '1.13.1',
    inputs: [
      { name: 'onnx::Gemm_0', elemType: FLOAT, shape: ['N', 2] },
      ...(irVersion < 4 ? weights.map((w) => ({ name: w.name, elemType: FLOAT, shape: w.dims })) : []),
    ],
    outputs: [
      { name: '5', elemType: FLOAT, shape: ['N', 1] },
      { name: '6', elemType: FLOAT, shape: ['N', 1, 1] },
    ],
    initializers: [...weights, ...(axesAsInput ? [i64('onnx::Unsqueeze_4', [2n])] : [])],
    nodes: [
      {
        name: 'Gemm_0',
        opType: 'Gemm',
        inputs: ['onnx::Gemm_0', 'linear.weight', 'linear.bias'],
        outputs: ['5'],
        attributes: {
          alpha: { kind: 'float', value: 1 },
          beta: { kind: 'float', value: 1 },
          transB: { kind: 'int', value: 1 },
        },
      },
      axesAsInput
        ? { name: 'Unsqueeze_1', opType: 'Unsqueeze', inputs: ['5', 'onnx::Unsqueeze_4'], outputs: ['6'] }
        : {
            name: 'Unsqueeze_1',
            opType: 'Unsqueeze',
            inputs: ['5'],
            outputs: ['6'],
            attributes: { axes: { kind: 'ints', value: [2] } },
          },
    ],
  });
}

/**
 * tf2onnx of a model taking token ids and a keep flag: `ids:0` INT64 [unk__12] and `keep:0`
 * BOOL [unk__13]; `model/where/SelectV2:0` INT64 [unk__14] is the id where kept, else 0.
 */
export function tf2onnxWhereModel(): Uint8Array {
  return buildModel({
    graphName: 'tf2onnx',
    opsetVersion: 15,
    producerName: 'tf2onnx',
    producerVersion: '1.16.1 15c810',
    inputs: [
      { name: 'ids:0', elemType: INT64, shape: ['unk__12'] },
      { name: 'keep:0', elemType: BOOL, shape: ['unk__13'] },
    ],
    outputs: [{ name: 'model/where/SelectV2:0', elemType: INT64, shape: ['unk__14'] }],
    initializers: [{ name: 'model/where/zeros:0', dims: [], dataType: INT64, data: BigInt64Array.of(0n) }],
    nodes: [
      {
        name: 'model/where/SelectV2',
        opType: 'Where',
        inputs: ['keep:0', 'ids:0', 'model/where/zeros:0'],
        outputs: ['model/where/SelectV2:0'],
      },
    ],
  });
}

/**
 * What skl2onnx writes for a linear classifier on `input` with no post transform: `output_label`
 * (INT64 or STRING [N]) and `output_probability`, a ZipMap keyed by the class labels.
 */
function linearClassifier(
  input: string,
  classes: bigint[] | string[],
  coefficients: number[],
  intercepts: number[],
) {
  const byInt = typeof classes[0] === 'bigint';
  const labels = byInt
    ? ({ kind: 'ints', value: classes as bigint[] } as const)
    : ({ kind: 'strings', value: classes as string[] } as const);
  const keyType = byInt ? INT64 : STRING;
  const outputs: ValueSpec[] = [
    { name: 'output_label', elemType: keyType, shape: [null] },
    {
      name: 'output_probability',
      type: { sequence: { map: { keyType, value: { elemType: FLOAT, shape: [] } } } },
    },
  ];
  const nodes: NodeSpec[] = [
    {
      opType: 'LinearClassifier',
      domain: 'ai.onnx.ml',
      inputs: [input],
      outputs: ['label', 'probability_tensor'],
      attributes: {
        [byInt ? 'classlabels_ints' : 'classlabels_strings']: labels,
        coefficients: { kind: 'floats', value: coefficients },
        intercepts: { kind: 'floats', value: intercepts },
        post_transform: { kind: 'string', value: 'NONE' },
      },
    },
    { opType: 'Identity', inputs: ['label'], outputs: ['output_label'] },
    {
      opType: 'ZipMap',
      domain: 'ai.onnx.ml',
      inputs: ['probability_tensor'],
      outputs: ['output_probability'],
      attributes: { [byInt ? 'classlabels_int64s' : 'classlabels_strings']: labels },
    },
  ];
  return { outputs, nodes };
}

/**
 * skl2onnx of `Pipeline([OneHotEncoder, LogisticRegression])` with integer classes 10 and 20:
 * `color` STRING [N, 1] one-hot over ["red", "green"], scores = onehot @ [[1, 0], [0, 2]] +
 * [0.25, 0] (no post transform), `output_label` INT64 [N] and `output_probability` a ZipMap
 * keyed by INT64.
 */
export function sklearnCategoryClassifier(): Uint8Array {
  const classifier = linearClassifier('onehot', [10n, 20n], [1, 0, 0, 2], [0.25, 0]);
  return buildModel({
    graphName: 'pipeline_onehot',
    opsetVersion: 17,
    extraOpsets: [{ domain: 'ai.onnx.ml', version: 1 }],
    producerName: 'skl2onnx',
    producerVersion: '1.16.0',
    inputs: [{ name: 'color', elemType: STRING, shape: [null, 1] }],
    outputs: classifier.outputs,
    initializers: [i64('shape_tensor', [-1n, 2n])],
    nodes: [
      {
        opType: 'OneHotEncoder',
        domain: 'ai.onnx.ml',
        inputs: ['color'],
        outputs: ['onehot3d'],
        attributes: {
          cats_strings: { kind: 'strings', value: ['red', 'green'] },
          zeros: { kind: 'int', value: 1 },
        },
      },
      { opType: 'Reshape', inputs: ['onehot3d', 'shape_tensor'], outputs: ['onehot'] },
      ...classifier.nodes,
    ],
  });
}

/** skl2onnx `LabelEncoder` on strings: `fruit` STRING [N] -> `code` INT64 [N] (apple 0, pear 1, else -1). */
export function sklearnLabelEncoder(): Uint8Array {
  return buildModel({
    graphName: 'label_encoder',
    opsetVersion: 17,
    extraOpsets: [{ domain: 'ai.onnx.ml', version: 2 }],
    producerName: 'skl2onnx',
    producerVersion: '1.16.0',
    inputs: [{ name: 'fruit', elemType: STRING, shape: [null] }],
    outputs: [{ name: 'code', elemType: INT64, shape: [null] }],
    initializers: [],
    nodes: [
      {
        opType: 'LabelEncoder',
        domain: 'ai.onnx.ml',
        inputs: ['fruit'],
        outputs: ['code'],
        attributes: {
          keys_strings: { kind: 'strings', value: ['apple', 'pear'] },
          values_int64s: { kind: 'ints', value: [0, 1] },
          default_int64: { kind: 'int', value: -1 },
        },
      },
    ],
  });
}

/**
 * skl2onnx of a classifier converted with `options={"cast": ...}` for FP64 inputs: `X` DOUBLE
 * [N, 2] cast to FP32, a LinearClassifier with string classes "no"/"yes" (scores x0 - x1 and
 * x1 - x0, no post transform), `output_label` STRING [N] and a ZipMap keyed by STRING; and
 * `variable` DOUBLE [N, 1] = x0 + 2 x1 computed in FP64, as its regressors with doubles write it.
 */
export function sklearnDoubleModel(): Uint8Array {
  const classifier = linearClassifier('Xf', ['no', 'yes'], [1, -1, -1, 1], [0, 0]);
  return buildModel({
    graphName: 'double_pipeline',
    opsetVersion: 15,
    extraOpsets: [{ domain: 'ai.onnx.ml', version: 1 }],
    producerName: 'skl2onnx',
    producerVersion: '1.16.0',
    inputs: [{ name: 'X', elemType: DOUBLE, shape: [null, 2] }],
    outputs: [...classifier.outputs, { name: 'variable', elemType: DOUBLE, shape: [null, 1] }],
    initializers: [{ name: 'coef', dims: [2, 1], dataType: DOUBLE, data: Float64Array.of(1, 2) }],
    nodes: [
      { opType: 'Cast', inputs: ['X'], outputs: ['Xf'], attributes: { to: { kind: 'int', value: FLOAT } } },
      ...classifier.nodes,
      { opType: 'MatMul', inputs: ['X', 'coef'], outputs: ['variable'] },
    ],
  });
}

/**
 * A Keras model converted with float16 weights (keras2onnx/onnxmltools `convert_float_to_float16`):
 * `input_1` FP16 [unk__5, 2] -> `dense` FP16 [unk__5, 2] = x * 1.5 + 0.25 in FP16, and
 * `mean` FP16, a scalar (rank 0) = the mean of every element.
 */
export function kerasHalfModel(): Uint8Array {
  const half = (v: number) => Uint16Array.of(v);
  return buildModel({
    graphName: 'keras_half',
    irVersion: 7,
    opsetVersion: 12,
    producerName: 'keras2onnx',
    producerVersion: '1.9.0',
    docString: 'converted to float16',
    inputs: [{ name: 'input_1', elemType: FLOAT16, shape: ['unk__5', 2] }],
    outputs: [
      { name: 'dense', elemType: FLOAT16, shape: ['unk__5', 2] },
      { name: 'mean', elemType: FLOAT16, shape: [] },
    ],
    initializers: [
      // 1.5 = 0x3e00, 0.25 = 0x3400 in IEEE half precision
      { name: 'scale', dims: [], dataType: FLOAT16, data: half(0x3e00) },
      { name: 'shift', dims: [], dataType: FLOAT16, data: half(0x3400) },
    ],
    nodes: [
      { opType: 'Mul', inputs: ['input_1', 'scale'], outputs: ['scaled'] },
      { opType: 'Add', inputs: ['scaled', 'shift'], outputs: ['dense'] },
      {
        opType: 'ReduceMean',
        inputs: ['dense'],
        outputs: ['mean'],
        attributes: { keepdims: { kind: 'int', value: 0 } },
      },
    ],
  });
}

const concat = (inputs: string[], output: string, axis: number): NodeSpec => ({
  opType: 'Concat',
  inputs,
  outputs: [output],
  attributes: { axis: { kind: 'int', value: axis } },
});

/**
 * Two inputs with their own batch names, as Keras and CoreML converters name them: `a` FP32
 * [batch_a, 2] and `b` FP32 [batch_b, 2]; `stacked` FP32 [batch_a + batch_b, 2] is a then b,
 * and `wide` FP32 [batch_a, 2*2] is a next to itself (dims derived from the inputs' own).
 */
export function twoBatchNamesModel(): Uint8Array {
  return buildModel({
    graphName: 'two_batches',
    opsetVersion: 13,
    producerName: 'onnxmltools',
    inputs: [
      { name: 'a', elemType: FLOAT, shape: ['batch_a', 2] },
      { name: 'b', elemType: FLOAT, shape: ['batch_b', 2] },
    ],
    outputs: [
      { name: 'stacked', elemType: FLOAT, shape: ['batch_a + batch_b', 2] },
      { name: 'wide', elemType: FLOAT, shape: ['batch_a', '2*2'] },
    ],
    initializers: [],
    nodes: [concat(['a', 'b'], 'stacked', 0), concat(['a', 'a'], 'wide', 1)],
  });
}

/** `y` [N, M*2] is x [N, M] next to itself: a symbolic dimension derived from an input's. */
export function derivedDimModel(): Uint8Array {
  return buildModel({
    graphName: 'derived',
    opsetVersion: 13,
    inputs: [{ name: 'x', elemType: FLOAT, shape: ['N', 'M'] }],
    outputs: [{ name: 'y', elemType: FLOAT, shape: ['N', 'M*2'] }],
    initializers: [],
    nodes: [concat(['x', 'x'], 'y', 1)],
  });
}

/**
 * onnxruntime's transformer optimizer output: com.microsoft `FusedMatMul` (alpha 2) on `x` FP32
 * [batch_size, 2] and W = [[1, 0], [0, 3]]: `y` = 2 (x @ W). With full model metadata.
 */
export function contribOpModel(): Uint8Array {
  return buildModel({
    graphName: 'optimized',
    opsetVersion: 17,
    extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
    producerName: 'onnxruntime.transformers',
    producerVersion: '1.17.0',
    docString: 'An optimized graph.',
    metadata: { 'onnx.infer': 'onnxruntime.quant', source: 'bert' },
    inputs: [{ name: 'x', elemType: FLOAT, shape: ['batch_size', 2] }],
    outputs: [{ name: 'y', elemType: FLOAT, shape: ['batch_size', 2] }],
    initializers: [{ name: 'W', dims: [2, 2], data: Float32Array.of(1, 0, 0, 3) }],
    nodes: [
      {
        name: 'MatMul_fused',
        opType: 'FusedMatMul',
        domain: 'com.microsoft',
        inputs: ['x', 'W'],
        outputs: ['y'],
        attributes: { alpha: { kind: 'float', value: 2 } },
      },
    ],
  });
}

/** An op from a domain the runtime does not know (onnxruntime-extensions' `ai.onnx.contrib`), imported or not. */
export function unknownDomainModel(imported: boolean): Uint8Array {
  const node: NodeSpec = {
    name: 'regex',
    opType: 'StringRegexReplace',
    domain: 'ai.onnx.contrib',
    inputs: ['text'],
    outputs: ['clean'],
    attributes: {},
  };
  const dims: Dim[] = [null];
  return buildModel({
    graphName: 'extensions',
    opsetVersion: 17,
    extraOpsets: imported ? [{ domain: 'ai.onnx.contrib', version: 1 }] : [],
    inputs: [{ name: 'text', elemType: STRING, shape: dims }],
    outputs: [{ name: 'clean', elemType: STRING, shape: dims }],
    initializers: [],
    nodes: [node],
  });
}

/** y = Identity(x) for an element type no V2 datatype carries (FLOAT8E4M3FN 17, INT4 22, COMPLEX64 14). */
export function unservedTypeModel(elemType: number): Uint8Array {
  const t = { elemType, shape: ['N', 2] };
  return buildModel({
    graphName: 'unserved',
    irVersion: 10,
    opsetVersion: 21,
    inputs: [{ name: 'x', ...t }],
    outputs: [{ name: 'y', ...t }],
    initializers: [],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  });
}

/** skl2onnx of a `DictVectorizer` pipeline: `features` is a map(string, float), not a tensor. */
export function dictVectorizerModel(): Uint8Array {
  return buildModel({
    graphName: 'dictvec',
    opsetVersion: 15,
    extraOpsets: [{ domain: 'ai.onnx.ml', version: 1 }],
    producerName: 'skl2onnx',
    inputs: [
      { name: 'features', type: { map: { keyType: STRING, value: { elemType: FLOAT, shape: undefined } } } },
    ],
    outputs: [{ name: 'variable', elemType: FLOAT, shape: [1, 2] }],
    initializers: [],
    nodes: [
      {
        opType: 'DictVectorizer',
        domain: 'ai.onnx.ml',
        inputs: ['features'],
        outputs: ['variable'],
        attributes: { string_vocabulary: { kind: 'strings', value: ['a', 'b'] } },
      },
    ],
  });
}

/**
 * What the dynamo-based `torch.onnx.export(..., dynamo=True)` writes: IR 10, opset 18, dims
 * named `s0`, a model-local function (`pkg.torch.2.5:Scale`, y = x * 2 from a Constant) called
 * from the graph, and node `metadata_props` (`pkg.torch.onnx.stack_trace`). `add` FP32 [s0, 2] =
 * Scale(x) + 1.
 */
export function torchDynamoModel(): Uint8Array {
  const domain = 'pkg.torch.2.5';
  const model = buildModel({
    graphName: 'main_graph',
    irVersion: 10,
    opsetVersion: 18,
    extraOpsets: [{ domain, version: 1 }],
    producerName: 'pytorch',
    producerVersion: '2.5.0',
    inputs: [{ name: 'x', elemType: FLOAT, shape: ['s0', 2] }],
    outputs: [{ name: 'add', elemType: FLOAT, shape: ['s0', 2] }],
    initializers: [{ name: 'val_1', dims: [], data: Float32Array.of(1) }],
    nodes: [
      { name: 'node_Scale_0', opType: 'Scale', domain, inputs: ['x'], outputs: ['scaled'] },
      { name: 'node_Add_1', opType: 'Add', inputs: ['scaled', 'val_1'], outputs: ['add'] },
    ],
  });
  const fn = new ProtoWriter()
    .string(1, 'Scale')
    .string(4, 'x')
    .string(5, 'y')
    .message(7, (n) =>
      writeNode(
        n,
        {
          opType: 'Constant',
          inputs: [],
          outputs: ['two'],
          attributes: { value_float: { kind: 'float', value: 2 } },
        },
        0,
      ),
    )
    .message(7, (n) => writeNode(n, { opType: 'Mul', inputs: ['x', 'two'], outputs: ['y'] }, 1))
    .message(9, (o) => o.string(1, '').int64(2, 18))
    .string(10, domain)
    .finish();
  const out = new ProtoWriter();
  for (const f of readFields(model)) {
    if (f.field !== 7) {
      out.raw(f.raw);
      continue;
    }
    const graph = new ProtoWriter();
    for (const g of readFields(f.bytes!)) {
      if (g.field !== 1) graph.raw(g.raw);
      else
        graph.bytes(
          1,
          Buffer.concat([
            g.bytes!,
            new ProtoWriter()
              .message(9, (kv) =>
                kv.string(1, 'pkg.torch.onnx.stack_trace').string(2, 'File "model.py", line 7'),
              )
              .finish(),
          ]),
        );
    }
    out.bytes(7, graph.finish());
  }
  out.bytes(25, fn);
  return out.finish();
}

/** tf2onnx of a `tf.function` traced with `TensorSpec(None, tf.float32)`: `x:0` and `Identity:0` declare no shape; Identity:0 = x * 2. */
export function tf2onnxAnyRankModel(): Uint8Array {
  return buildModel({
    graphName: 'tf2onnx',
    opsetVersion: 15,
    producerName: 'tf2onnx',
    producerVersion: '1.16.1 15c810',
    inputs: [{ name: 'x:0', type: { elemType: FLOAT, shape: undefined } }],
    outputs: [{ name: 'Identity:0', type: { elemType: FLOAT, shape: undefined } }],
    initializers: [{ name: 'two', dims: [], data: Float32Array.of(2) }],
    nodes: [{ name: 'mul', opType: 'Mul', inputs: ['x:0', 'two'], outputs: ['Identity:0'] }],
  });
}
