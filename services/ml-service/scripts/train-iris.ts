/**
 * Trains the shipped iris-classifier from datasets/iris.csv (R. A. Fisher, 1936, as published
 * by the UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/53/iris),
 * exports it to ONNX with the project's own builder and prints its held-out accuracy as
 * measured through onnxruntime. Fixed seeds: running it again rewrites identical bytes.
 *
 *   node --conditions=source --import tsx services/ml-service/scripts/train-iris.ts
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { IRIS_RECIPE, trainIrisClassifier } from '../src/training/iris-model.js';

const dataPath = fileURLToPath(new URL('../datasets/iris.csv', import.meta.url));
const modelPath = fileURLToPath(new URL('../models/iris-classifier.onnx', import.meta.url));

const result = trainIrisClassifier(await readFile(dataPath, 'utf8'));
await writeFile(modelPath, result.onnx);

const session = await ort.InferenceSession.create(result.onnx);
const x = new Float32Array(result.heldOut.flatMap((r) => r.features));
const out = await session.run({ features: new ort.Tensor('float32', x, [result.heldOut.length, 4]) });
const probs = out['probabilities']!.data as Float32Array;
let correct = 0;
result.heldOut.forEach((r, i) => {
  const row = Array.from(probs.subarray(i * 3, i * 3 + 3));
  if (row.indexOf(Math.max(...row)) === r.label) correct++;
});
await session.release();

console.log(`recipe: ${JSON.stringify(IRIS_RECIPE)}`);
console.log(`train rows: ${result.train.length}, held-out rows: ${result.heldOut.length} (stratified)`);
console.log(`held-out accuracy (onnxruntime): ${(correct / result.heldOut.length).toFixed(4)}`);
console.log(
  `wrote ${modelPath} (${result.onnx.length} bytes, sha256 ${createHash('sha256').update(result.onnx).digest('hex')})`,
);
