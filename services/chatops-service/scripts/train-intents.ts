/**
 * Trains the intent model on the train split of both labelled sets (never dev or held-out) and
 * writes data/intent-model.json, which the service loads at start. Run after changing the data,
 * the features or the extractor; a test fails while the shipped model is not what this makes.
 *   node --conditions=source --import tsx services/chatops-service/scripts/train-intents.ts
 */
import { writeFileSync } from 'node:fs';
import { INTENT_MODEL_FILE, trainIntentModel } from '../src/services/nlp/intent-model.js';
import { loadDatasetLexicon, trainingUtterances } from '../src/services/nlp/utterances.js';

const started = performance.now();
const examples = trainingUtterances();
const model = trainIntentModel(examples, loadDatasetLexicon());
writeFileSync(INTENT_MODEL_FILE, `${JSON.stringify(model)}\n`);
const features = Object.keys(model.softmax.weights).length;
console.log(
  `trained on ${examples.length} messages in ${Math.round(performance.now() - started)} ms: ${features} weighted features; wrote ${INTENT_MODEL_FILE.pathname}`,
);
