/**
 * How much the intent read moves from one retrain to the next: trains the model several times on
 * the same data, each from other shuffle seeds, and scores every model on the held-out sets and
 * dev. Prints each set's accuracy range and how many messages the models do not all read alike.
 * `--runs 1,10` compares a single fit with the mean of ten fits (the default) per model; `--models 5` trains
 * five models for each.
 *   node --conditions=source --import tsx services/chatops-service/scripts/seed-spread.ts --runs 1,10
 */
import { ChatopsConfigSchema } from '../src/config.js';
import { trainIntentModel } from '../src/services/nlp/intent-model.js';
import {
  loadAllUtterances,
  loadDatasetLexicon,
  loadHeldoutSets,
  trainingUtterances,
  type Utterance,
} from '../src/services/nlp/utterances.js';
import { NlpProcessor } from '../src/services/nlp-processor.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const runsList = arg('--runs', '1,10').split(',').map(Number);
const models = Number(arg('--models', '5'));
const threshold = ChatopsConfigSchema.properties.NLP_CONFIDENCE_THRESHOLD.default as number;
const lexicon = loadDatasetLexicon();
const { chat } = loadAllUtterances();
const sets: [string, Utterance[]][] = [
  ['held-out', chat.filter((u) => u.split === 'heldout')],
  ...loadHeldoutSets().map(({ n, rows }): [string, Utterance[]] => [`set ${n}`, rows]),
  ['dev', chat.filter((u) => u.split === 'dev')],
];
const examples = trainingUtterances();
const pct = (x: number) => `${(x * 100).toFixed(1)}`;
for (const runs of runsList) {
  const reads = sets.map(() => [] as string[][]);
  for (let m = 0; m < models; m++) {
    const nlp = NlpProcessor.fromModel(
      trainIntentModel(examples, lexicon, { runs, seed: 7 + m * 101 }),
      lexicon,
      threshold,
    );
    for (const [s, [, rows]] of sets.entries()) reads[s]!.push(rows.map((u) => nlp.interpret(u.text).intent));
  }
  console.log(`\n${runs} fit${runs > 1 ? 's averaged' : ''} per model, ${models} models (seeds apart):`);
  let unsteady = 0;
  let total = 0;
  sets.forEach(([name, rows], s) => {
    const acc = reads[s]!.map(
      (r) => r.filter((intent, i) => intent === rows[i]!.intent).length / rows.length,
    );
    const moved = rows.filter((_, i) => new Set(reads[s]!.map((r) => r[i])).size > 1).length;
    unsteady += moved;
    total += rows.length;
    console.log(
      `  ${name.padEnd(9)} accuracy ${acc.map(pct).join(' ')} (spread ${pct(Math.max(...acc) - Math.min(...acc))} points); read differently by some model: ${moved} of ${rows.length}`,
    );
  });
  console.log(`  all sets: ${unsteady} of ${total} messages not read alike by every model`);
}
