import { buildMlp } from '../onnx/model-builder.js';
import { IRIS_CLASSES, IRIS_FEATURES, type IrisRow, parseIrisCsv, stratifiedSplit } from './iris-data.js';
import { trainMlp } from './mlp-trainer.js';
import { createPrng } from './prng.js';

/** Every knob of the shipped model; changing one changes the bytes of models/iris-classifier.onnx. */
export const IRIS_RECIPE = {
  splitSeed: 1936,
  initSeed: 7,
  heldOutShare: 0.2,
  hidden: 8,
  epochs: 1000,
  learningRate: 0.1,
  momentum: 0.9,
  l2: 0.01,
} as const;

export interface IrisTrainingResult {
  onnx: Uint8Array;
  train: IrisRow[];
  heldOut: IrisRow[];
  /** Held-out accuracy of the float64 training-side model (the ONNX one is checked separately). */
  trainerAccuracy: number;
}

export function trainIrisClassifier(csv: string): IrisTrainingResult {
  const rows = parseIrisCsv(csv);
  const { train, test } = stratifiedSplit(rows, IRIS_RECIPE.heldOutShare, IRIS_RECIPE.splitSeed);
  const model = trainMlp(
    train.map((r) => r.features),
    train.map((r) => r.label),
    { ...IRIS_RECIPE, classes: IRIS_CLASSES.length, rand: createPrng(IRIS_RECIPE.initSeed) },
  );
  const argmax = (p: number[]) => p.indexOf(Math.max(...p));
  const correct = test.filter((r) => argmax(model.predict(r.features)) === r.label).length;
  const onnx = buildMlp({
    graphName: 'iris_mlp',
    inputName: 'features',
    outputName: 'probabilities',
    layers: model.layers,
    softmax: true,
    docString:
      'Iris species classifier: 4 measurements in cm -> probabilities of setosa, versicolor, virginica',
    metadata: {
      classes: IRIS_CLASSES.join(','),
      features: IRIS_FEATURES.join(','),
      dataset: 'Fisher (1936) Iris data, UCI Machine Learning Repository copy',
    },
  });
  return { onnx, train, heldOut: test, trainerAccuracy: correct / test.length };
}
