import { OnnxDataType } from '../../src/onnx/data-types.js';
import { buildModel, type NodeSpec } from '../../src/onnx/model-builder.js';
import { ProtoWriter, readFields } from '../../src/onnx/protobuf.js';

/**
 * Models shaped like what other toolchains export, built with the project's own ONNX writer:
 * a scikit-learn classifier with its ZipMap output, sequence and optional outputs, a model
 * without inputs, unnamed dimensions, and models that point at external data files.
 */

export const IRIS_LABELS = ['setosa', 'versicolor', 'virginica'];

/**
 * A multinomial logistic regression on the four iris measurements, exported the way skl2onnx
 * exports `LogisticRegression` with string classes: LinearClassifier and Normalizer from the
 * `ai.onnx.ml` domain, an unnamed batch dimension, `output_label` (STRING [N]) and
 * `output_probability`, a ZipMap: a sequence with one map from class label to probability
 * per row. Coefficients fitted on datasets/iris.csv (98.7% training accuracy).
 */
export function sklearnStyleClassifier(): Uint8Array {
  const coefficients = [
    0.593, 1.468, -2.078, -0.968, 0.435, -0.253, -0.008, -0.789, -1.028, -1.215, 2.086, 1.757,
  ];
  return buildModel({
    graphName: 'LogisticRegression',
    irVersion: 8,
    opsetVersion: 17,
    extraOpsets: [{ domain: 'ai.onnx.ml', version: 1 }],
    producerName: 'skl2onnx',
    producerVersion: '1.17.0',
    inputs: [{ name: 'float_input', elemType: OnnxDataType.FLOAT, shape: [null, 4] }],
    outputs: [
      { name: 'output_label', elemType: OnnxDataType.STRING, shape: [null] },
      {
        name: 'output_probability',
        type: {
          sequence: {
            map: { keyType: OnnxDataType.STRING, value: { elemType: OnnxDataType.FLOAT, shape: [] } },
          },
        },
      },
    ],
    initializers: [],
    nodes: [
      {
        opType: 'LinearClassifier',
        domain: 'ai.onnx.ml',
        inputs: ['float_input'],
        outputs: ['label', 'probability_tensor'],
        attributes: {
          classlabels_strings: { kind: 'strings', value: IRIS_LABELS },
          coefficients: { kind: 'floats', value: coefficients },
          intercepts: { kind: 'floats', value: [0.692, 0.913, -1.605] },
          multi_class: { kind: 'int', value: 1 },
          post_transform: { kind: 'string', value: 'SOFTMAX' },
        },
      },
      {
        opType: 'Normalizer',
        domain: 'ai.onnx.ml',
        inputs: ['probability_tensor'],
        outputs: ['probabilities'],
        attributes: { norm: { kind: 'string', value: 'L1' } },
      },
      { opType: 'Identity', inputs: ['label'], outputs: ['output_label'] },
      {
        opType: 'ZipMap',
        domain: 'ai.onnx.ml',
        inputs: ['probabilities'],
        outputs: ['output_probability'],
        attributes: { classlabels_strings: { kind: 'strings', value: IRIS_LABELS } },
      },
    ],
  });
}

/** y = x * 2 for FP32 [N, 3], with two extra outputs built as sequences: `pair` (x, y) and `rows` (x split by rows). */
export function sequenceModel(): Uint8Array {
  const tensor = { elemType: OnnxDataType.FLOAT, shape: ['N', 3] };
  return buildModel({
    graphName: 'sequences',
    opsetVersion: 13,
    inputs: [{ name: 'x', ...tensor }],
    outputs: [
      { name: 'y', ...tensor },
      { name: 'pair', type: { sequence: tensor } },
      { name: 'rows', type: { sequence: { elemType: OnnxDataType.FLOAT, shape: [1, 3] } } },
    ],
    initializers: [{ name: 'two', dims: [1], data: Float32Array.of(2) }],
    nodes: [
      { opType: 'Mul', inputs: ['x', 'two'], outputs: ['y'] },
      { opType: 'SequenceConstruct', inputs: ['x', 'y'], outputs: ['pair'] },
      {
        opType: 'SplitToSequence',
        inputs: ['x'],
        outputs: ['rows'],
        attributes: { axis: { kind: 'int', value: 0 }, keepdims: { kind: 'int', value: 1 } },
      },
    ],
  });
}

/** `y` = x + 1 always; `extra`, an optional tensor, holds x * 10 only when `flag` is true. */
export function optionalOutputModel(): Uint8Array {
  const f32 = { elemType: OnnxDataType.FLOAT, shape: ['N', 3] };
  const optional = { optional: { elemType: OnnxDataType.FLOAT, shape: ['N', 3] } };
  const branch = (name: string, node: NodeSpec) => ({
    kind: 'graph' as const,
    value: { name, inputs: [], outputs: [{ name: node.outputs[0]!, type: optional }], nodes: [node] },
  });
  return buildModel({
    graphName: 'optional_output',
    opsetVersion: 18,
    inputs: [
      { name: 'x', ...f32 },
      { name: 'flag', elemType: OnnxDataType.BOOL, shape: [] },
    ],
    outputs: [
      { name: 'y', ...f32 },
      { name: 'extra', type: optional },
    ],
    initializers: [
      { name: 'one', dims: [1], data: Float32Array.of(1) },
      { name: 'ten', dims: [1], data: Float32Array.of(10) },
    ],
    nodes: [
      { opType: 'Add', inputs: ['x', 'one'], outputs: ['y'] },
      { opType: 'Mul', inputs: ['x', 'ten'], outputs: ['x10'] },
      {
        opType: 'If',
        inputs: ['flag'],
        outputs: ['extra'],
        attributes: {
          then_branch: branch('then', { opType: 'Optional', inputs: ['x10'], outputs: ['some'] }),
          else_branch: branch('else', {
            opType: 'Optional',
            inputs: [],
            outputs: ['none'],
            attributes: { type: { kind: 'type', value: { elemType: OnnxDataType.FLOAT, shape: undefined } } },
          }),
        },
      },
    ],
  });
}

/** Takes nothing: `answer` is always the INT64 [2] tensor [42, 2^62 + 1]. */
export function noInputModel(): Uint8Array {
  return buildModel({
    graphName: 'constant',
    inputs: [],
    outputs: [{ name: 'answer', elemType: OnnxDataType.INT64, shape: [2] }],
    initializers: [],
    nodes: [
      {
        opType: 'Constant',
        inputs: [],
        outputs: ['answer'],
        attributes: {
          value: {
            kind: 'tensor',
            value: { dims: [2], dataType: OnnxDataType.INT64, data: BigInt64Array.of(42n, 2n ** 62n + 1n) },
          },
        },
      },
    ],
  });
}

/** y = x * 3 per row, but every dimension unnamed (as some exporters leave them). */
export function unnamedDimsModel(): Uint8Array {
  return buildModel({
    graphName: 'unnamed',
    inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: [null, 2] }],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: [null, 2] }],
    initializers: [{ name: 'three', dims: [1], data: Float32Array.of(3) }],
    nodes: [{ opType: 'Mul', inputs: ['x', 'three'], outputs: ['y'] }],
  });
}

/** Where a model can keep a tensor whose data it says lives in another file. */
export type ExternalPlace = 'initializer' | 'constant' | 'subgraph' | 'sparse';

/** A model with one tensor stored outside the file, at `location` (relative to the working directory). */
export function externalDataModel(place: ExternalPlace, location = 'package.json'): Uint8Array {
  const external = { dims: [4], data: new Float32Array(0), external: { location } };
  const constant = (output: string): NodeSpec => ({
    opType: 'Constant',
    inputs: [],
    outputs: [output],
    attributes: { value: { kind: 'tensor', value: external } },
  });
  const nodes: NodeSpec[] =
    place === 'constant'
      ? [constant('w'), { opType: 'Add', inputs: ['x', 'w'], outputs: ['y'] }]
      : place === 'subgraph'
        ? [
            {
              opType: 'If',
              inputs: ['flag'],
              outputs: ['w'],
              attributes: {
                then_branch: {
                  kind: 'graph',
                  value: {
                    name: 't',
                    inputs: [],
                    outputs: [{ name: 'a', shape: [4] }],
                    nodes: [constant('a')],
                  },
                },
                else_branch: {
                  kind: 'graph',
                  value: {
                    name: 'e',
                    inputs: [],
                    outputs: [{ name: 'b', shape: [4] }],
                    initializers: [{ name: 'b', dims: [4], data: new Float32Array(4) }],
                    nodes: [],
                  },
                },
              },
            },
            { opType: 'Add', inputs: ['x', 'w'], outputs: ['y'] },
          ]
        : [{ opType: 'Add', inputs: ['x', 'w'], outputs: ['y'] }];
  const model = buildModel({
    graphName: `external_${place}`,
    inputs: [
      { name: 'x', elemType: OnnxDataType.FLOAT, shape: [4] },
      ...(place === 'subgraph' ? [{ name: 'flag', elemType: OnnxDataType.BOOL, shape: [] }] : []),
    ],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: [4] }],
    initializers: place === 'initializer' ? [{ name: 'w', ...external }] : [],
    nodes,
  });
  return place === 'sparse' ? withSparseInitializer(model, location) : model;
}

/** Adds a sparse initializer `w` whose values live in an external file. */
function withSparseInitializer(model: Uint8Array, location: string): Uint8Array {
  const sparse = new ProtoWriter()
    .message(1, (values) =>
      values
        .packedInt64(1, [1])
        .int32(2, OnnxDataType.FLOAT)
        .string(8, 'w_values')
        .message(13, (e) => e.string(1, 'location').string(2, location))
        .int32(14, 1),
    )
    .message(2, (indices) =>
      indices
        .packedInt64(1, [1])
        .int32(2, OnnxDataType.INT64)
        .string(8, 'w_indices')
        .bytes(9, new Uint8Array(8)),
    )
    .packedInt64(3, [4])
    .finish();
  // The graph is field 7 of the model; a sparse initializer is field 15 of the graph.
  const out = new ProtoWriter();
  for (const f of readFields(model)) {
    if (f.field === 7) out.bytes(7, Buffer.concat([f.bytes!, new ProtoWriter().bytes(15, sparse).finish()]));
    else out.raw(f.raw);
  }
  return out.finish();
}

/** Reshape of x to the shape given as input: a runtime error for a shape of another size. */
export function reshapeModel(irVersion = 8): Uint8Array {
  return buildModel({
    graphName: 'reshape',
    irVersion,
    inputs: [
      { name: 'x', elemType: OnnxDataType.FLOAT, shape: [null] },
      { name: 'shape', elemType: OnnxDataType.INT64, shape: [2] },
    ],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: [null, null] }],
    initializers: [],
    nodes: [{ opType: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
  });
}
