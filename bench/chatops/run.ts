/**
 * Messages classified per second on one core: intent, entities and confidence for every utterance of
 * the labelled set in turn, after a warm-up. Bounded by both a time budget and a message count.
 *   npm run bench -w chatops-service
 */
import {
  loadDatasetLexicon,
  loadUtterances,
} from '../../services/chatops-service/src/services/nlp/utterances.js';
import { NlpProcessor } from '../../services/chatops-service/src/services/nlp-processor.js';

const TARGET = 2_000;
const BUDGET_MS = 3_000;
const MAX_MESSAGES = 200_000;

const lexicon = loadDatasetLexicon();
const utterances = loadUtterances();
const trainStart = performance.now();
const nlp = NlpProcessor.train(
  utterances.filter((u) => u.split === 'train'),
  lexicon,
);
const trainMs = performance.now() - trainStart;
const texts = utterances.map((u) => u.text);

for (let i = 0; i < 2_000; i++) nlp.interpret(texts[i % texts.length]!);

let done = 0;
let sink = 0;
const start = performance.now();
while (done < MAX_MESSAGES && performance.now() - start < BUDGET_MS) {
  for (let i = 0; i < 100; i++) sink += nlp.interpret(texts[(done + i) % texts.length]!).confidence;
  done += 100;
}
const seconds = (performance.now() - start) / 1000;
const rate = done / seconds;
console.log(
  `chatops nlp: trained on ${utterances.filter((u) => u.split === 'train').length} utterances in ${trainMs.toFixed(0)} ms`,
);
console.log(
  `chatops nlp: ${done} messages in ${seconds.toFixed(2)} s = ${Math.round(rate)} messages/s on one core (target ${TARGET}, ${(rate / TARGET).toFixed(1)}x)`,
);
if (sink < 0) console.log(sink);
