/**
 * ChatOps NLP on one core: start-up (read the shipped intent model, build the processor) and
 * messages read per second (intent, entities, resolutions) over every labelled message in turn
 * (the template expansions, the written messages and every later written set, whose long, pasted
 * and foreign-language messages cost the most),
 * after a warm-up. The baseline, measured in the same run, is the classifier alone on the same
 * messages (features and ranking, no extraction): the ratio shows what reading entities costs.
 * Bounded by a time budget and a message count.
 *   npm run bench -w chatops-service
 */
import { features } from '../../services/chatops-service/src/services/nlp/features.js';
import {
  intentModel,
  readIntentModel,
} from '../../services/chatops-service/src/services/nlp/intent-model.js';
import { seededRandom } from '../../services/chatops-service/src/services/nlp/seeded-random.js';
import {
  loadAllUtterances,
  loadDatasetLexicon,
  loadWrittenSets,
  TRAINED_THROUGH,
} from '../../services/chatops-service/src/services/nlp/utterances.js';
import { NlpProcessor } from '../../services/chatops-service/src/services/nlp-processor.js';

const TARGET_RATE = 2_000;
const TARGET_STARTUP_MS = 2_000;
const BUDGET_MS = 3_000;
const MAX_MESSAGES = 300_000;

const started = performance.now();
const nlp = NlpProcessor.fromModel(readIntentModel(), loadDatasetLexicon(), 0.35);
const startupMs = performance.now() - started;

const { generated, chat } = loadAllUtterances();
const written = loadWrittenSets();
const later = written.flatMap((set) => set.rows);
const heldOut = written.filter((set) => set.n > TRAINED_THROUGH).reduce((n, set) => n + set.rows.length, 0);
// In a fixed shuffled order, so that the three seconds measured read the same mix as the whole
// (the template expansions first would be the shortest messages).
const random = seededRandom(7);
const texts = [...generated, ...chat, ...later]
  .map((u) => ({ text: u.text, key: random() }))
  .sort((a, b) => a.key - b.key)
  .map((u) => u.text);
const masked = texts.map((t) => features(t.toLowerCase()));
const { classifier } = intentModel(readIntentModel());

/**
 * Messages per second of wall time and per second of this process's CPU time: on a machine shared
 * with other work the second is the one that says what one core does.
 */
function rate(
  step: (i: number) => number,
  warmUp: number,
): { done: number; perSecond: number; perCpuSecond: number } {
  let sink = 0;
  // Warm-up: every message once, so that each pattern the reading uses has been compiled to machine
  // code (hundreds of regular expressions, compiled on first use, on threads whose CPU time the
  // measurement would otherwise count) before the clock starts, as in a service running for a while.
  for (let i = 0; i < warmUp; i++) sink += step(i);
  let done = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (done < MAX_MESSAGES && performance.now() - start < BUDGET_MS) {
    for (let i = 0; i < 100; i++) sink += step(done + i);
    done += 100;
  }
  const used = process.cpuUsage(cpu);
  if (sink < 0) console.log(sink);
  return {
    done,
    perSecond: done / ((performance.now() - start) / 1000),
    perCpuSecond: done / ((used.user + used.system) / 1e6),
  };
}

const full = rate((i) => nlp.interpret(texts[i % texts.length]!).confidence, texts.length);
const bare = rate((i) => classifier.rank(masked[i % masked.length]!)[0]!.probability, masked.length);
console.log(
  `chatops nlp: start-up (read model, build processor) ${startupMs.toFixed(0)} ms (target < ${TARGET_STARTUP_MS} ms)`,
);
console.log(
  `chatops nlp: ${texts.length} labelled messages (${later.length} of them in the later written sets, ${heldOut} of those held out), read in turn`,
);
console.log(
  `chatops nlp: ${full.done} messages in ${BUDGET_MS / 1000} s: ${Math.round(full.perSecond)} messages/s of wall time, ${Math.round(full.perCpuSecond)} per CPU-second on one core (target ${TARGET_RATE}, ${(full.perCpuSecond / TARGET_RATE).toFixed(1)}x)`,
);
console.log(
  `chatops nlp: classifier alone ${Math.round(bare.perCpuSecond)} messages per CPU-second; full reading / classifier alone = ${(full.perCpuSecond / bare.perCpuSecond).toFixed(2)}`,
);
