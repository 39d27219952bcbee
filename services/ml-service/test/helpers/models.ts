import { OnnxDataType } from '../../src/onnx/data-types.js';
import { buildMlp, buildModel } from '../../src/onnx/model-builder.js';
import { createPrng, gaussian } from '../../src/training/prng.js';

/** Small deterministic models for tests. */

export function randomMlp(seed: number, sizes: readonly number[], softmax = true): Uint8Array {
  const rand = createPrng(seed);
  const layers = sizes.slice(0, -1).map((inF, i) => {
    const outF = sizes[i + 1]!;
    return {
      inFeatures: inF,
      outFeatures: outF,
      weights: Float32Array.from({ length: inF * outF }, () => gaussian(rand) * Math.sqrt(2 / inF)),
      bias: Float32Array.from({ length: outF }, () => gaussian(rand) * 0.1),
    };
  });
  return buildMlp({ graphName: 'mlp', inputName: 'x', outputName: 'y', layers, softmax });
}

/** y = x * 2 + 1 on float32 [N, 3], so outputs are easy to predict per row. */
export function affineModel(scale = 2, shift = 1, fixedBatch?: number): Uint8Array {
  const batch = fixedBatch ?? 'N';
  return buildModel({
    graphName: 'affine',
    inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: [batch, 3] }],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: [batch, 3] }],
    initializers: [
      { name: 's', dims: [1], data: Float32Array.of(scale) },
      { name: 'b', dims: [1], data: Float32Array.of(shift) },
    ],
    nodes: [
      { opType: 'Mul', inputs: ['x', 's'], outputs: ['xs'] },
      { opType: 'Add', inputs: ['xs', 'b'], outputs: ['y'] },
    ],
  });
}

/**
 * A model shaped like other exporters' output (e.g. sklearn-onnx): INT64 input with a named
 * batch dim, a weight initializer also listed among the graph inputs (older IR style), a
 * Cast, and two outputs: an INT64 label from ArgMax and FP32 probabilities.
 */
export function foreignStyleModel(): Uint8Array {
  return buildModel({
    graphName: 'exported_classifier',
    irVersion: 7,
    opsetVersion: 13,
    producerName: 'skl2onnx',
    inputs: [
      { name: 'int_input', elemType: OnnxDataType.INT64, shape: ['batch_size', 2] },
      { name: 'coef', elemType: OnnxDataType.FLOAT, shape: [2, 2] },
    ],
    outputs: [
      { name: 'output_label', elemType: OnnxDataType.INT64, shape: ['batch_size'] },
      { name: 'output_probability', elemType: OnnxDataType.FLOAT, shape: ['batch_size', 2] },
    ],
    initializers: [
      { name: 'coef', dims: [2, 2], data: Float32Array.of(1, -1, -1, 1) },
      { name: 'intercept', dims: [2], data: Float32Array.of(0, 0) },
    ],
    nodes: [
      {
        opType: 'Cast',
        inputs: ['int_input'],
        outputs: ['as_float'],
        attributes: { to: { kind: 'int', value: OnnxDataType.FLOAT } },
      },
      { opType: 'MatMul', inputs: ['as_float', 'coef'], outputs: ['scores_raw'] },
      { opType: 'Add', inputs: ['scores_raw', 'intercept'], outputs: ['scores'] },
      {
        opType: 'Softmax',
        inputs: ['scores'],
        outputs: ['output_probability'],
        attributes: { axis: { kind: 'int', value: 1 } },
      },
      {
        opType: 'ArgMax',
        inputs: ['scores'],
        outputs: ['output_label'],
        attributes: { axis: { kind: 'int', value: 1 }, keepdims: { kind: 'int', value: 0 } },
      },
    ],
  });
}

/** FP16 in, FP32 and FP16 out: x (FP16 [N, 3]) is cast up to y (FP32) and y back down to z (FP16). */
export function halfModel(): Uint8Array {
  return buildModel({
    graphName: 'half',
    inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT16, shape: ['N', 3] }],
    outputs: [
      { name: 'y', elemType: OnnxDataType.FLOAT, shape: ['N', 3] },
      { name: 'z', elemType: OnnxDataType.FLOAT16, shape: ['N', 3] },
    ],
    initializers: [],
    nodes: [
      {
        opType: 'Cast',
        inputs: ['x'],
        outputs: ['y'],
        attributes: { to: { kind: 'int', value: OnnxDataType.FLOAT } },
      },
      {
        opType: 'Cast',
        inputs: ['y'],
        outputs: ['z'],
        attributes: { to: { kind: 'int', value: OnnxDataType.FLOAT16 } },
      },
    ],
  });
}

/** BYTES in and out: labels (STRING [N, 2]) pass through Identity unchanged. */
export function stringModel(): Uint8Array {
  return buildModel({
    graphName: 'strings',
    inputs: [{ name: 'labels', elemType: OnnxDataType.STRING, shape: ['N', 2] }],
    outputs: [{ name: 'echo', elemType: OnnxDataType.STRING, shape: ['N', 2] }],
    initializers: [],
    nodes: [{ opType: 'Identity', inputs: ['labels'], outputs: ['echo'] }],
  });
}
