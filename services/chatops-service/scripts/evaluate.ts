/**
 * Scores the shipped intent model (data/intent-model.json) on the labelled messages it was never
 * trained on: the held-out split of the messages written by people (the reported figures), the dev
 * split (used to choose settings and the out-of-scope threshold), and the held-out template
 * expansions. `--mistakes` lists every miss.
 *   npm run evaluate -w chatops-service
 */

import { ChatopsConfigSchema } from '../src/config.js';
import { calibrateThreshold, evaluate } from '../src/services/nlp/evaluation.js';
import { formatReport } from '../src/services/nlp/evaluation-table.js';
import { readIntentModel, trainingDigest } from '../src/services/nlp/intent-model.js';
import { loadAllUtterances, loadDatasetLexicon, trainingUtterances } from '../src/services/nlp/utterances.js';
import { NlpProcessor } from '../src/services/nlp-processor.js';

const lexicon = loadDatasetLexicon();
const { generated, chat } = loadAllUtterances();
const model = readIntentModel();
if (model.trainedOn !== trainingDigest(trainingUtterances(), lexicon)) {
  console.log('warning: the shipped model was trained on other data; run scripts/train-intents.ts first\n');
}
const threshold = ChatopsConfigSchema.properties.NLP_CONFIDENCE_THRESHOLD.default as number;
const nlp = NlpProcessor.fromModel(model, lexicon, threshold);
const split = (rows: typeof chat, name: string) => rows.filter((u) => u.split === name);
console.log(
  `trained on ${model.examples} messages (train split of ${generated.length} template expansions and ${chat.length} written messages); out-of-scope threshold ${threshold}\n`,
);
const heldout = evaluate(nlp, split(chat, 'heldout'));
console.log(formatReport('written messages, held-out (never trained on or tuned with)', heldout));
const dev = evaluate(nlp, split(chat, 'dev'));
const calibration = calibrateThreshold(nlp, split(chat, 'dev'));
console.log(
  `\nwritten messages, dev (tuning): intent accuracy ${(dev.intentAccuracy * 100).toFixed(1)}%, entity F1 ${(dev.entityF1 * 100).toFixed(1)}%`,
);
console.log(
  `  threshold on dev: ${calibration.tried.map((t) => `${t.threshold}→${(t.accuracy * 100).toFixed(1)}%`).join(' ')}; best ${calibration.threshold}`,
);
const templates = evaluate(nlp, split(generated, 'heldout'));
console.log(
  `template expansions, held-out: intent accuracy ${(templates.intentAccuracy * 100).toFixed(1)}%, entity F1 ${(templates.entityF1 * 100).toFixed(1)}% (${templates.examples} messages)`,
);
if (process.argv.includes('--mistakes')) {
  console.log('\nmistakes (held-out, then dev):');
  for (const m of [...heldout.mistakes, ...dev.mistakes]) console.log(JSON.stringify(m));
}
