import { OnnxDataType } from '../../src/onnx/data-types.js';
import { type AttributeValue, buildModel, type Dim } from '../../src/onnx/model-builder.js';

/**
 * Models shaped like the exports of toolchains beyond scikit-learn, built with the project's own
 * ONNX writer: producer names, opsets, domains, names, types and shapes as each one writes them.
 */

const { FLOAT, INT64, STRING } = OnnxDataType;

/**
 * `torch.onnx.export` of a pooled token model: `input_ids` INT64 and `attention_mask` FP32, both
 * [batch_size, sequence] (named dynamic axes), opset 17. `output` is the masked sum of the ids
 * per row, FP32 [batch_size].
 */
export function torchTokenModel(opset = 17): Uint8Array {
  const dims: Dim[] = ['batch_size', 'sequence'];
  return buildModel({
    graphName: 'main_graph',
    irVersion: 8,
    opsetVersion: opset,
    producerName: 'pytorch',
    producerVersion: '2.1.0',
    inputs: [
      { name: 'input_ids', elemType: INT64, shape: dims },
      { name: 'attention_mask', elemType: FLOAT, shape: dims },
    ],
    outputs: [{ name: 'output', elemType: FLOAT, shape: ['batch_size'] }],
    initializers: [{ name: 'onnx::ReduceSum_axes', dims: [1], dataType: INT64, data: BigInt64Array.of(1n) }],
    nodes: [
      {
        name: '/Cast',
        opType: 'Cast',
        inputs: ['input_ids'],
        outputs: ['/Cast_output_0'],
        attributes: { to: { kind: 'int', value: FLOAT } },
      },
      {
        name: '/Mul',
        opType: 'Mul',
        inputs: ['/Cast_output_0', 'attention_mask'],
        outputs: ['/Mul_output_0'],
      },
      {
        name: '/ReduceSum',
        opType: 'ReduceSum',
        inputs: ['/Mul_output_0', 'onnx::ReduceSum_axes'],
        outputs: ['output'],
        attributes: { keepdims: { kind: 'int', value: 0 } },
      },
    ],
  });
}

/** `torch.onnx.export` with default names: `input.1` FP32 [batch_size, 3] -> `7` = input * 2, opset 18. */
export function torchDefaultNamesModel(): Uint8Array {
  return buildModel({
    graphName: 'main_graph',
    opsetVersion: 18,
    producerName: 'pytorch',
    producerVersion: '2.2.0',
    inputs: [{ name: 'input.1', elemType: FLOAT, shape: ['batch_size', 3] }],
    outputs: [{ name: '7', elemType: FLOAT, shape: ['batch_size', 3] }],
    initializers: [{ name: 'onnx::Mul_6', dims: [], data: Float32Array.of(2) }],
    nodes: [{ name: '/Mul', opType: 'Mul', inputs: ['input.1', 'onnx::Mul_6'], outputs: ['7'] }],
  });
}

/**
 * tf2onnx of a Keras image model: `serving_default_x:0` FP32 NHWC [unk__6, 2, 2, 3], output
 * `StatefulPartitionedCall:0` the per-channel mean, FP32 [unk__7, 3], opset 13.
 */
export function tf2onnxImageModel(): Uint8Array {
  return buildModel({
    graphName: 'tf2onnx',
    opsetVersion: 13,
    producerName: 'tf2onnx',
    producerVersion: '1.16.1 15c810',
    inputs: [{ name: 'serving_default_x:0', elemType: FLOAT, shape: ['unk__6', 2, 2, 3] }],
    outputs: [{ name: 'StatefulPartitionedCall:0', elemType: FLOAT, shape: ['unk__7', 3] }],
    initializers: [],
    nodes: [
      {
        name: 'StatefulPartitionedCall/model/global_average_pooling2d/Mean',
        opType: 'ReduceMean',
        inputs: ['serving_default_x:0'],
        outputs: ['StatefulPartitionedCall:0'],
        attributes: { axes: { kind: 'ints', value: [1, 2] }, keepdims: { kind: 'int', value: 0 } },
      },
    ],
  });
}

/** What onnxmltools writes around a tree ensemble taking FP32 [N, 2] (`input`). */
const onnxmltools = (graphName: string, mlOpset: number) => ({
  graphName,
  opsetVersion: 15,
  extraOpsets: [{ domain: 'ai.onnx.ml', version: mlOpset }],
  producerName: 'OnnxMLTools',
  producerVersion: '1.12.0',
  inputs: [{ name: 'input', elemType: FLOAT, shape: [null, 2] }],
});

/** The `nodes_*` attributes of one tree: a split of `feature` at 0.5 (node 0) into leaves 1 (true) and 2. */
function stump(feature: number, mode: 'BRANCH_LEQ' | 'BRANCH_LT'): Record<string, AttributeValue> {
  return {
    nodes_treeids: { kind: 'ints', value: [0, 0, 0] },
    nodes_nodeids: { kind: 'ints', value: [0, 1, 2] },
    nodes_featureids: { kind: 'ints', value: [feature, 0, 0] },
    nodes_values: { kind: 'floats', value: [0.5, 0, 0] },
    nodes_modes: { kind: 'strings', value: [mode, 'LEAF', 'LEAF'] },
    nodes_truenodeids: { kind: 'ints', value: [1, 0, 0] },
    nodes_falsenodeids: { kind: 'ints', value: [2, 0, 0] },
    nodes_missing_value_tracks_true: { kind: 'ints', value: [0, 0, 0] },
  };
}

/**
 * onnxmltools export of a LightGBM binary classifier: one stump on feature 0 (<= 0.5 is class 0),
 * classes 0 and 1 as INT64, `label` INT64 [N] and `probabilities` a ZipMap keyed by INT64.
 */
export function lightgbmClassifier(zipmap = true): Uint8Array {
  const classes = [0n, 1n];
  return buildModel({
    ...onnxmltools('LightGBM', 1),
    outputs: [
      { name: 'label', elemType: INT64, shape: [null] },
      zipmap
        ? {
            name: 'probabilities',
            type: { sequence: { map: { keyType: INT64, value: { elemType: FLOAT, shape: [] } } } },
          }
        : { name: 'probabilities', elemType: FLOAT, shape: [null, 2] },
    ],
    initializers: [],
    nodes: [
      {
        name: 'LgbmClassifier',
        opType: 'TreeEnsembleClassifier',
        domain: 'ai.onnx.ml',
        inputs: ['input'],
        outputs: ['label', zipmap ? 'probability_tensor' : 'probabilities'],
        attributes: {
          classlabels_int64s: { kind: 'ints', value: classes },
          ...stump(0, 'BRANCH_LEQ'),
          nodes_hitrates: { kind: 'floats', value: [1, 1, 1] },
          class_treeids: { kind: 'ints', value: [0, 0] },
          class_nodeids: { kind: 'ints', value: [1, 2] },
          class_ids: { kind: 'ints', value: [1, 1] },
          class_weights: { kind: 'floats', value: [-2, 2] },
          post_transform: { kind: 'string', value: 'LOGISTIC' },
        },
      },
      ...(zipmap
        ? [
            {
              name: 'ZipMap',
              opType: 'ZipMap',
              domain: 'ai.onnx.ml',
              inputs: ['probability_tensor'],
              outputs: ['probabilities'],
              attributes: { classlabels_int64s: { kind: 'ints' as const, value: classes } },
            },
          ]
        : []),
    ],
  });
}

/** onnxmltools export of an XGBoost regressor: one stump on feature 1, 10 below 0.5, 20 above, `variable` FP32 [N, 1]. */
export function xgboostRegressor(): Uint8Array {
  return buildModel({
    ...onnxmltools('XGBoostRegressor', 3),
    outputs: [{ name: 'variable', elemType: FLOAT, shape: [null, 1] }],
    initializers: [],
    nodes: [
      {
        opType: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        inputs: ['input'],
        outputs: ['variable'],
        attributes: {
          n_targets: { kind: 'int', value: 1 },
          ...stump(1, 'BRANCH_LT'),
          target_treeids: { kind: 'ints', value: [0, 0] },
          target_nodeids: { kind: 'ints', value: [1, 2] },
          target_ids: { kind: 'ints', value: [0, 0] },
          target_weights: { kind: 'floats', value: [10, 20] },
          post_transform: { kind: 'string', value: 'NONE' },
        },
      },
    ],
  });
}

/**
 * skl2onnx text pipeline (`CountVectorizer`): `text` STRING [N, 1] is flattened, lower-cased
 * (StringNormalizer), split into words (com.microsoft Tokenizer) and counted by TfIdfVectorizer
 * for the words "spam" and "ham": `counts` FP32 [N, 2].
 */
export function sklearnTextModel(): Uint8Array {
  return buildModel({
    graphName: 'pipeline_text',
    opsetVersion: 15,
    extraOpsets: [
      { domain: 'ai.onnx.ml', version: 1 },
      { domain: 'com.microsoft', version: 1 },
    ],
    producerName: 'skl2onnx',
    producerVersion: '1.16.0',
    inputs: [{ name: 'text', elemType: STRING, shape: [null, 1] }],
    outputs: [{ name: 'counts', elemType: FLOAT, shape: [null, 2] }],
    initializers: [{ name: 'flat', dims: [1], dataType: INT64, data: BigInt64Array.of(-1n) }],
    nodes: [
      { opType: 'Reshape', inputs: ['text', 'flat'], outputs: ['flat_text'] },
      {
        opType: 'StringNormalizer',
        inputs: ['flat_text'],
        outputs: ['normalized'],
        attributes: { case_change_action: { kind: 'string', value: 'LOWER' } },
      },
      {
        opType: 'Tokenizer',
        domain: 'com.microsoft',
        inputs: ['normalized'],
        outputs: ['tokens'],
        attributes: {
          mark: { kind: 'int', value: 0 },
          mincharnum: { kind: 'int', value: 1 },
          pad_value: { kind: 'string', value: '#' },
          separators: { kind: 'strings', value: [' '] },
        },
      },
      {
        opType: 'TfIdfVectorizer',
        inputs: ['tokens'],
        outputs: ['counts'],
        attributes: {
          max_gram_length: { kind: 'int', value: 1 },
          min_gram_length: { kind: 'int', value: 1 },
          max_skip_count: { kind: 'int', value: 0 },
          mode: { kind: 'string', value: 'TF' },
          ngram_counts: { kind: 'ints', value: [0] },
          ngram_indexes: { kind: 'ints', value: [0, 1] },
          pool_strings: { kind: 'strings', value: ['spam', 'ham'] },
        },
      },
    ],
  });
}

/** An op onnxruntime has no kernel for: `y` = `FancyOp`(x) in the custom domain `com.example`. */
export function customOpModel(): Uint8Array {
  return buildModel({
    graphName: 'custom',
    opsetVersion: 17,
    extraOpsets: [{ domain: 'com.example', version: 1 }],
    inputs: [{ name: 'x', elemType: FLOAT, shape: ['N', 2] }],
    outputs: [{ name: 'y', elemType: FLOAT, shape: ['N', 2] }],
    initializers: [],
    nodes: [{ name: 'fancy', opType: 'FancyOp', domain: 'com.example', inputs: ['x'], outputs: ['y'] }],
  });
}

/** A standard op on a type onnxruntime has no kernel for: `y` = Erf(x) on FP64, as a `.double()` PyTorch export writes it. */
export function missingKernelModel(): Uint8Array {
  return buildModel({
    graphName: 'main_graph',
    opsetVersion: 17,
    producerName: 'pytorch',
    inputs: [{ name: 'x', elemType: OnnxDataType.DOUBLE, shape: ['batch_size', 2] }],
    outputs: [{ name: 'y', elemType: OnnxDataType.DOUBLE, shape: ['batch_size', 2] }],
    initializers: [],
    nodes: [{ name: '/Erf', opType: 'Erf', inputs: ['x'], outputs: ['y'] }],
  });
}

/** y = Identity(x) for one element type, [N, 2] both (or the shape given). */
export function identityModel(
  elemType: number,
  shape: Dim[] = ['N', 2],
  extra: { irVersion?: number; opsetVersion?: number; metadata?: Record<string, string> } = {},
): Uint8Array {
  return buildModel({
    graphName: `identity_${elemType}`,
    ...extra,
    inputs: [{ name: 'x', elemType, shape }],
    outputs: [{ name: 'y', elemType, shape }],
    initializers: [],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  });
}

/** `total` = the sum of every element of x FP32 [N, 3]: a scalar (shape []). */
export function scalarOutputModel(): Uint8Array {
  return buildModel({
    graphName: 'scalar',
    inputs: [{ name: 'x', elemType: FLOAT, shape: ['N', 3] }],
    outputs: [{ name: 'total', elemType: FLOAT, shape: [] }],
    initializers: [],
    nodes: [
      {
        opType: 'ReduceSum',
        inputs: ['x'],
        outputs: ['total'],
        attributes: { keepdims: { kind: 'int', value: 0 } },
      },
    ],
  });
}

/** `y` = x, and `empty` = x[:, 0:0], FP32 [N, 0]: an output with a 0-sized dimension. */
export function emptyOutputModel(): Uint8Array {
  const i64 = (name: string, v: bigint) => ({ name, dims: [1], dataType: INT64, data: BigInt64Array.of(v) });
  return buildModel({
    graphName: 'empty_slice',
    inputs: [{ name: 'x', elemType: FLOAT, shape: ['N', 3] }],
    outputs: [
      { name: 'y', elemType: FLOAT, shape: ['N', 3] },
      { name: 'empty', elemType: FLOAT, shape: ['N', 0] },
    ],
    initializers: [i64('starts', 0n), i64('ends', 0n), i64('axes', 1n)],
    nodes: [
      { opType: 'Identity', inputs: ['x'], outputs: ['y'] },
      { opType: 'Slice', inputs: ['x', 'starts', 'ends', 'axes'], outputs: ['empty'] },
    ],
  });
}

/**
 * An older exporter's graph (IR 3, opset 9): the initializers `W` and `B` are also listed as graph
 * inputs, so a caller may override them, but need not: y = x @ W + B with W = [[1],[1]], B = [0.5].
 */
export function initializersAsInputsModel(): Uint8Array {
  return buildModel({
    graphName: 'legacy',
    irVersion: 3,
    opsetVersion: 9,
    producerName: 'keras2onnx',
    producerVersion: '1.7.0',
    inputs: [
      { name: 'x', elemType: FLOAT, shape: ['N', 2] },
      { name: 'W', elemType: FLOAT, shape: [2, 1] },
      { name: 'B', elemType: FLOAT, shape: [1] },
    ],
    outputs: [{ name: 'y', elemType: FLOAT, shape: ['N', 1] }],
    initializers: [
      { name: 'W', dims: [2, 1], data: Float32Array.of(1, 1) },
      { name: 'B', dims: [1], data: Float32Array.of(0.5) },
    ],
    nodes: [{ opType: 'Gemm', inputs: ['x', 'W', 'B'], outputs: ['y'] }],
  });
}
