/**
 * Scores the shipped intent model (data/intent-model.json) on the labelled messages it was never
 * trained on: the held-out sets of written messages (the reported figures), the dev split and
 * the held-out template expansions; then 5-fold cross-validation over the written train and dev
 * messages, which also scores each out-of-scope threshold. `--mistakes` lists every miss;
 * `--no-cv` skips the cross-validation (it trains five models).
 *   npm run evaluate -w chatops-service
 */

import { ChatopsConfigSchema } from '../src/config.js';
import { crossValidate } from '../src/services/nlp/cross-validation.js';
import { calibrateThreshold, evaluate } from '../src/services/nlp/evaluation.js';
import { formatReport } from '../src/services/nlp/evaluation-table.js';
import { readIntentModel, trainingDigest } from '../src/services/nlp/intent-model.js';
import {
  loadAllUtterances,
  loadDatasetLexicon,
  loadHeldoutSets,
  trainingUtterances,
} from '../src/services/nlp/utterances.js';
import { NlpProcessor } from '../src/services/nlp-processor.js';

const THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
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
console.log(formatReport('written messages, held-out (never trained on)', heldout));
const later = loadHeldoutSets().map(({ ordinal, styles, rows }) => {
  const scores = evaluate(nlp, rows);
  console.log(
    `\n${formatReport(`written messages, ${ordinal} held-out set (${styles}; never trained on)`, scores)}`,
  );
  return scores;
});
const dev = evaluate(nlp, split(chat, 'dev'));
const calibration = calibrateThreshold(nlp, split(chat, 'dev'), THRESHOLDS);
console.log(
  `\nwritten messages, dev (tuning): intent accuracy ${pct(dev.intentAccuracy)}, entity F1 ${pct(dev.entityF1)}`,
);
console.log(
  `  threshold on dev: ${calibration.tried.map((t) => `${t.threshold}→${pct(t.accuracy)}`).join(' ')}; best ${calibration.threshold}`,
);
const templates = evaluate(nlp, split(generated, 'heldout'));
console.log(
  `template expansions, held-out: intent accuracy ${pct(templates.intentAccuracy)}, entity F1 ${pct(templates.entityF1)} (${templates.examples} messages)`,
);
if (!process.argv.includes('--no-cv')) {
  const written = chat.filter((u) => u.split !== 'heldout');
  console.log(`\n5-fold cross-validation over the ${written.length} written train and dev messages:`);
  const cv = crossValidate(
    written,
    split(generated, 'train'),
    (rows) => NlpProcessor.train(rows, lexicon, threshold),
    {
      thresholds: [threshold, ...THRESHOLDS.filter((t) => t !== threshold)],
      progress: (k, n) => process.stdout.write(`  fold ${k}/${n} trained and scored\n`),
    },
  );
  const at = cv.scores[0]!;
  console.log(
    `  at ${threshold}: intent accuracy ${pct(at.intentAccuracy)} (folds ${cv.perFold.map(pct).join(' ')}), entity F1 ${pct(at.entityF1)}`,
  );
  const sorted = [...cv.scores].sort((a, b) => a.threshold - b.threshold);
  console.log(`  threshold: ${sorted.map((s) => `${s.threshold}→${pct(s.intentAccuracy)}`).join(' ')}`);
  if (process.argv.includes('--mistakes')) {
    console.log('\nmistakes (cross-validation, each read by the model of the folds it was not in):');
    for (const m of cv.mistakes) console.log(JSON.stringify(m));
  }
}
if (process.argv.includes('--mistakes')) {
  console.log('\nmistakes (held-out, the later held-out sets in order, then dev):');
  for (const m of [...heldout.mistakes, ...later.flatMap((r) => r.mistakes), ...dev.mistakes])
    console.log(JSON.stringify(m));
}
