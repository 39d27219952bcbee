import type { DenseLayer } from '../onnx/model-builder.js';
import { gaussian } from './prng.js';

/**
 * A one-hidden-layer MLP classifier (Relu, softmax, cross-entropy) trained by full-batch
 * gradient descent with momentum, in float64 for reproducibility. Feature standardisation
 * is folded into the first layer on export so the model takes raw measurements.
 */

export interface TrainOptions {
  hidden: number;
  classes: number;
  epochs: number;
  learningRate: number;
  momentum: number;
  l2: number;
  rand: () => number;
}

export interface TrainedMlp {
  layers: DenseLayer[];
  /** Predicts class probabilities in float64 with the same maths the exported graph runs. */
  predict(x: readonly number[]): number[];
}

type Matrix = Float64Array; // row-major

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function trainMlp(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  opts: TrainOptions,
): TrainedMlp {
  const n = xs.length;
  const d = xs[0]!.length;
  const { hidden: h, classes: k } = opts;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((a, x) => a + x[j]!, 0) / n);
  const std = Array.from({ length: d }, (_, j) =>
    Math.sqrt(xs.reduce((a, x) => a + (x[j]! - mean[j]!) ** 2, 0) / n),
  );
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / std[j]!));

  const w1: Matrix = Float64Array.from({ length: d * h }, () => gaussian(opts.rand) * Math.sqrt(2 / d));
  const b1 = new Float64Array(h);
  const w2: Matrix = Float64Array.from({ length: h * k }, () => gaussian(opts.rand) * Math.sqrt(1 / h));
  const b2 = new Float64Array(k);
  const params = [w1, b1, w2, b2];
  const velocity = params.map((p) => new Float64Array(p.length));

  const forward = (x: readonly number[]) => {
    const hid = new Array<number>(h).fill(0);
    for (let j = 0; j < h; j++) {
      let s = b1[j]!;
      for (let i = 0; i < d; i++) s += x[i]! * w1[i * h + j]!;
      hid[j] = Math.max(0, s);
    }
    const logits = new Array<number>(k).fill(0);
    for (let c = 0; c < k; c++) {
      let s = b2[c]!;
      for (let j = 0; j < h; j++) s += hid[j]! * w2[j * k + c]!;
      logits[c] = s;
    }
    return { hid, probs: softmax(logits) };
  };

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const grads = params.map((p) => new Float64Array(p.length));
    const [gw1, gb1, gw2, gb2] = grads as [Matrix, Matrix, Matrix, Matrix];
    z.forEach((x, idx) => {
      const { hid, probs } = forward(x);
      const dLogits = probs.map((p, c) => (p - (c === ys[idx] ? 1 : 0)) / n);
      const dHid = new Array<number>(h).fill(0);
      for (let j = 0; j < h; j++) {
        for (let c = 0; c < k; c++) {
          gw2[j * k + c]! += hid[j]! * dLogits[c]!;
          dHid[j]! += w2[j * k + c]! * dLogits[c]!;
        }
      }
      for (let c = 0; c < k; c++) gb2[c]! += dLogits[c]!;
      for (let j = 0; j < h; j++) {
        if (hid[j]! <= 0) continue;
        gb1[j]! += dHid[j]!;
        for (let i = 0; i < d; i++) gw1[i * h + j]! += x[i]! * dHid[j]!;
      }
    });
    params.forEach((p, pi) => {
      const g = grads[pi]!;
      const v = velocity[pi]!;
      const decay = pi % 2 === 0 ? opts.l2 : 0; // weights only, not biases
      for (let i = 0; i < p.length; i++) {
        v[i] = opts.momentum * v[i]! - opts.learningRate * (g[i]! + decay * p[i]!);
        p[i]! += v[i]!;
      }
    });
  }

  // Fold (x - mean) / std into layer 1: W' = W / std (per input row), b' = b - sum(mean/std * W).
  const fw1 = new Float32Array(d * h);
  const fb1 = new Float32Array(h);
  for (let j = 0; j < h; j++) {
    let shift = 0;
    for (let i = 0; i < d; i++) {
      fw1[i * h + j] = w1[i * h + j]! / std[i]!;
      shift += (mean[i]! / std[i]!) * w1[i * h + j]!;
    }
    fb1[j] = b1[j]! - shift;
  }
  const layers: DenseLayer[] = [
    { weights: fw1, bias: fb1, inFeatures: d, outFeatures: h },
    { weights: Float32Array.from(w2), bias: Float32Array.from(b2), inFeatures: h, outFeatures: k },
  ];
  return {
    layers,
    predict: (x) => forward(x.map((v, j) => (v - mean[j]!) / std[j]!)).probs,
  };
}
