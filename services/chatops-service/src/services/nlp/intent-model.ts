import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BlendedClassifier, type IntentClassifier } from './blended-classifier.js';
import { namesCommand } from './command-words.js';
import { EntityExtractor } from './entity-extractor.js';
import { EverydayWords } from './everyday-words.js';
import { features } from './features.js';
import type { Entities, Lexicon } from './lexicon.js';
import { NaiveBayes, type NaiveBayesCounts } from './naive-bayes.js';
import { normalize } from './normalize.js';
import { type SoftmaxOptions, SoftmaxRegression, type SoftmaxWeights } from './softmax-regression.js';

/** The intent model the service ships: trained by `scripts/train-intents.ts`, loaded at start. */
export const INTENT_MODEL_FILE = new URL('../../../data/intent-model.json', import.meta.url);

export interface IntentModelFile {
  /** SHA-256 of the training messages and the lexicon they were masked with. */
  trainedOn: string;
  examples: number;
  everyday: ReturnType<EverydayWords['toJSON']>;
  bayes: NaiveBayesCounts;
  softmax: SoftmaxWeights;
}

export interface IntentModel {
  classifier: IntentClassifier;
  everyday: EverydayWords;
}

export interface LabelledText {
  text: string;
  intent: string;
  entities?: Entities;
}

/** A digest of what a model is trained from, so a stale shipped model can be told apart. */
export function trainingDigest(examples: readonly LabelledText[], lexicon: Lexicon): string {
  const hash = createHash('sha256').update(JSON.stringify(lexicon));
  for (const e of examples) hash.update(`${e.intent}\t${e.text}\t${JSON.stringify(e.entities ?? {})}\n`);
  return hash.digest('hex');
}

/** Messages a feature must occur in to be learned. */
const MIN_MESSAGES_PER_FEATURE = 2;

/**
 * Trains both classifiers on the messages, masked with the lexicon the data set was written
 * against. Deterministic: the same data gives the same file byte for byte.
 */
export function trainIntentModel(
  examples: readonly LabelledText[],
  lexicon: Lexicon,
  options: Partial<SoftmaxOptions> = {},
): IntentModelFile {
  const everyday = EverydayWords.fromExamples(examples);
  const extractor = new EntityExtractor(lexicon, everyday);
  // A bare command word ("snooze", "revert") is `unknown` only for want of its object; the table of
  // one-word messages answers for it, and the classifier keeps reading the word as its command
  // ("snooze that").
  const rows = examples
    .filter((e) => !(e.intent === 'unknown' && isBareCommand(e.text)))
    .map((e) => ({
      label: e.intent,
      features: features(extractor.extract(normalize(e.text)).masked),
    }));
  // A feature of one message only (a name's character n-grams, a one-off bigram) cannot be told
  // from that message's noise: left out, the model is a third of the size and reads as well.
  const seenIn = new Map<string, number>();
  for (const row of rows) for (const f of new Set(row.features)) seenIn.set(f, (seenIn.get(f) ?? 0) + 1);
  for (const row of rows)
    row.features = row.features.filter((f) => seenIn.get(f)! >= MIN_MESSAGES_PER_FEATURE);
  return {
    trainedOn: trainingDigest(examples, lexicon),
    examples: examples.length,
    everyday: everyday.toJSON(),
    bayes: NaiveBayes.count(rows),
    softmax: SoftmaxRegression.train(rows, options).toJSON(),
  };
}

function isBareCommand(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return words.length === 1 && namesCommand(words[0]!);
}

/** The classifier and word counts of a model file. */
export function intentModel(file: IntentModelFile): IntentModel {
  return {
    classifier: new BlendedClassifier(
      NaiveBayes.fromCounts(file.bayes),
      SoftmaxRegression.fromJSON(file.softmax),
    ),
    everyday: EverydayWords.fromJSON(file.everyday),
  };
}

/** Reads the shipped model; a missing or damaged file says how to make it again. */
export function readIntentModel(file: URL | string = INTENT_MODEL_FILE): IntentModelFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as IntentModelFile;
  } catch (err) {
    throw new Error(
      `cannot read the intent model ${String(file)} (${(err as Error).message}); make it with: node --conditions=source --import tsx services/chatops-service/scripts/train-intents.ts`,
    );
  }
}
