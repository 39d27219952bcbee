import { OnnxDataType } from '../../src/onnx/data-types.js';
import { buildModel } from '../../src/onnx/model-builder.js';

/**
 * Models for the edges of serving: answers whose size comes from the request, runs that take
 * seconds, outputs that do not follow the batch, runtime refusals, one model per datatype, and
 * the shapes of the V2 binary protocol's own example and of a two-input text model.
 */

/** A FP32 [a, b] tensor of ones whose shape is the INT64 [2] input: a small request, any size of answer. */
export function constantOfShapeModel(): Uint8Array {
  return buildModel({
    graphName: 'constant_of_shape',
    inputs: [{ name: 'shape', elemType: OnnxDataType.INT64, shape: [2] }],
    outputs: [{ name: 'ones', elemType: OnnxDataType.FLOAT, shape: ['a', 'b'] }],
    initializers: [],
    nodes: [
      {
        opType: 'ConstantOfShape',
        inputs: ['shape'],
        outputs: ['ones'],
        attributes: { value: { kind: 'tensor', value: { dims: [1], data: Float32Array.of(1) } } },
      },
    ],
  });
}

/**
 * Outputs that do not follow the rows of the batch, while their declared shapes say they do
 * (`N` first): the sum over the batch (shape [1, 4]) and the positions of non-zero inputs.
 */
export function batchMixingModel(): Uint8Array {
  return buildModel({
    graphName: 'batch_mixing',
    opsetVersion: 13,
    inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: ['N', 4] }],
    outputs: [
      { name: 'total', elemType: OnnxDataType.FLOAT, shape: ['N', 4] },
      { name: 'nonzero', elemType: OnnxDataType.INT64, shape: ['N', 'K'] },
    ],
    initializers: [],
    nodes: [
      {
        opType: 'Constant',
        inputs: [],
        outputs: ['axes'],
        attributes: {
          value: {
            kind: 'tensor',
            value: { dims: [1], dataType: OnnxDataType.INT64, data: BigInt64Array.of(0n) },
          },
        },
      },
      {
        opType: 'ReduceSum',
        inputs: ['x', 'axes'],
        outputs: ['total'],
        attributes: { keepdims: { kind: 'int', value: 1 } },
      },
      { opType: 'NonZero', inputs: ['x'], outputs: ['nonzero'] },
    ],
  });
}

/**
 * `y` = Identity(`x`) over [N, 3] of one element type: one model per V2 datatype, for round
 * trips through JSON and the binary data extension.
 */
export function identityModel(elemType: number): Uint8Array {
  return buildModel({
    graphName: `identity_${elemType}`,
    opsetVersion: 17,
    inputs: [{ name: 'x', elemType, shape: ['N', 3] }],
    outputs: [{ name: 'y', elemType, shape: ['N', 3] }],
    initializers: [],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  });
}

/**
 * The Triton documentation's binary example: `input0` UINT32 [2, 2] and `input1` BOOL [3] in,
 * `output0` FP32 (input0 as floats) and `output1` (input1 negated) out.
 */
export function tritonExampleModel(): Uint8Array {
  return buildModel({
    graphName: 'mymodel',
    inputs: [
      { name: 'input0', elemType: OnnxDataType.UINT32, shape: [2, 2] },
      { name: 'input1', elemType: OnnxDataType.BOOL, shape: [3] },
    ],
    outputs: [
      { name: 'output0', elemType: OnnxDataType.FLOAT, shape: [2, 2] },
      { name: 'output1', elemType: OnnxDataType.BOOL, shape: [3] },
    ],
    initializers: [],
    nodes: [
      {
        opType: 'Cast',
        inputs: ['input0'],
        outputs: ['output0'],
        attributes: { to: { kind: 'int', value: OnnxDataType.FLOAT } },
      },
      { opType: 'Not', inputs: ['input1'], outputs: ['output1'] },
    ],
  });
}

/** A scalar sum of an [n, n] matrix of ones times itself, `n` given as INT64 [2]: seconds of work for n in the thousands. */
export function slowModel(): Uint8Array {
  return buildModel({
    graphName: 'slow',
    inputs: [{ name: 'n', elemType: OnnxDataType.INT64, shape: [2] }],
    outputs: [{ name: 'total', elemType: OnnxDataType.FLOAT, shape: [] }],
    initializers: [],
    nodes: [
      {
        opType: 'ConstantOfShape',
        inputs: ['n'],
        outputs: ['ones'],
        attributes: { value: { kind: 'tensor', value: { dims: [1], data: Float32Array.of(1) } } },
      },
      { opType: 'MatMul', inputs: ['ones', 'ones'], outputs: ['square'] },
      {
        opType: 'ReduceSum',
        inputs: ['square'],
        outputs: ['total'],
        attributes: { keepdims: { kind: 'int', value: 0 } },
      },
    ],
  });
}

/** Reshapes FP32 `x` to the INT64 `shape` given: the runtime refuses a shape that does not fit. */
export function reshapeModel(): Uint8Array {
  return buildModel({
    graphName: 'reshape',
    inputs: [
      { name: 'x', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
      { name: 'shape', elemType: OnnxDataType.INT64, shape: [2] },
    ],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: ['a', 'b'] }],
    initializers: [],
    nodes: [{ opType: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
  });
}

/**
 * A text-model-shaped graph: `input_ids` and `attention_mask` (INT64 [batch, seq]) in,
 * `kept` (INT64 [batch, seq]) = the ids where the mask is 1, else 0.
 */
export function twoInputModel(): Uint8Array {
  return buildModel({
    graphName: 'masked_ids',
    inputs: [
      { name: 'input_ids', elemType: OnnxDataType.INT64, shape: ['batch', 'seq'] },
      { name: 'attention_mask', elemType: OnnxDataType.INT64, shape: ['batch', 'seq'] },
    ],
    outputs: [{ name: 'kept', elemType: OnnxDataType.INT64, shape: ['batch', 'seq'] }],
    initializers: [],
    nodes: [{ opType: 'Mul', inputs: ['input_ids', 'attention_mask'], outputs: ['kept'] }],
  });
}
