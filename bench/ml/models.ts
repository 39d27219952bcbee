import { OnnxDataType } from '../../services/ml-service/src/onnx/data-types.js';
import { buildMlp, buildModel } from '../../services/ml-service/src/onnx/model-builder.js';
import { createPrng, gaussian } from '../../services/ml-service/src/training/prng.js';

/** The bench's models, built here from a fixed seed so every run serves the same bytes. */

export const SIZES = [512, 2048, 2048, 10] as const;
export const SEED = 2024;
/** Elements of the wide tensor: 16,384 FP32 = 64 KiB. */
export const WIDE = 16_384;

export function heavyModel(): Uint8Array {
  const rand = createPrng(SEED);
  const layers = SIZES.slice(0, -1).map((inF, i) => {
    const outF = SIZES[i + 1]!;
    return {
      inFeatures: inF,
      outFeatures: outF,
      weights: Float32Array.from({ length: inF * outF }, () => gaussian(rand) * Math.sqrt(2 / inF)),
      bias: Float32Array.from({ length: outF }, () => gaussian(rand) * 0.01),
    };
  });
  return buildMlp({ graphName: 'bench_mlp', inputName: 'x', outputName: 'y', layers, softmax: true });
}

/** y = Relu(x) over [N, 16384] FP32: a 64 KiB tensor in and out, so the encoding is what costs. */
export function wideModel(): Uint8Array {
  return buildModel({
    graphName: 'bench_wide',
    inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: ['N', WIDE] }],
    outputs: [{ name: 'y', elemType: OnnxDataType.FLOAT, shape: ['N', WIDE] }],
    initializers: [],
    nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
  });
}
