/**
 * Trains the intent classifier on the train split and prints its held-out scores.
 *   npm run evaluate -w chatops-service
 */
import { evaluate } from '../src/services/nlp/evaluation.js';
import { loadDatasetLexicon, loadUtterances } from '../src/services/nlp/utterances.js';
import { NlpProcessor } from '../src/services/nlp-processor.js';

const lexicon = loadDatasetLexicon();
const all = loadUtterances();
const train = all.filter((u) => u.split === 'train');
const dev = all.filter((u) => u.split === 'dev');
const heldout = all.filter((u) => u.split === 'heldout');
const started = performance.now();
const nlp = NlpProcessor.train(train, lexicon);
const trainMs = performance.now() - started;
const devReport = evaluate(nlp, dev);
const report = evaluate(nlp, heldout);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  `utterances: ${all.length} (train ${train.length}, dev ${dev.length}, held-out ${heldout.length}); trained in ${trainMs.toFixed(0)} ms`,
);
console.log(
  `dev (used for tuning) intent accuracy: ${pct(devReport.intentAccuracy)}, entity F1 ${pct(devReport.entityF1)}`,
);
console.log(`held-out intent accuracy: ${pct(report.intentAccuracy)}`);
console.log(
  `held-out entities: precision ${pct(report.entityPrecision)}, recall ${pct(report.entityRecall)}, F1 ${pct(report.entityF1)}`,
);
console.log(`held-out messages asked back (below threshold ${nlp.threshold}): ${report.clarifications}`);
if (process.argv.includes('--mistakes')) {
  for (const m of [...devReport.mistakes, ...report.mistakes]) console.log(JSON.stringify(m));
}
