import type { NlpProcessor } from '../nlp-processor.js';
import { type EvaluationReport, evaluate, type Mistake } from './evaluation.js';
import { seededRandom } from './seeded-random.js';
import type { Utterance } from './utterances.js';

/** Scores of one out-of-scope threshold over every fold's held-back messages together. */
export interface FoldedScore {
  threshold: number;
  intentAccuracy: number;
  entityF1: number;
}

export interface CrossValidation {
  folds: number;
  examples: number;
  /** One row per threshold tried, in the order given. */
  scores: FoldedScore[];
  /** Intent accuracy of each fold at the first threshold, to show the spread. */
  perFold: number[];
  /** The misses at the first threshold, every fold's together. */
  mistakes: Mistake[];
}

export interface CrossValidationOptions {
  folds?: number;
  thresholds: readonly number[];
  seed?: number;
  /** Called after each fold is trained and scored (training takes seconds). */
  progress?: (fold: number, folds: number) => void;
}

/**
 * Stratified k-fold cross-validation: each intent's messages are shuffled (seeded) and dealt over
 * the folds; each fold is scored by a processor trained on `always` plus the other folds. Every
 * threshold is scored on the same trained processors, so the out-of-scope threshold can be chosen
 * from several hundred messages none of them was trained on rather than from the small dev split.
 *
 * @example
 * crossValidate(writtenTrainAndDev, templateTrain, (rows) => NlpProcessor.train(rows, lexicon), { thresholds: [0.3, 0.35] })
 * // { folds: 5, examples: 1028, scores: [{ threshold: 0.3, intentAccuracy: 0.93, entityF1: 0.97 }, …], … }
 */
export function crossValidate(
  rows: readonly Utterance[],
  always: readonly Utterance[],
  train: (examples: readonly Utterance[]) => NlpProcessor,
  options: CrossValidationOptions,
): CrossValidation {
  const folds = options.folds ?? 5;
  const fold = assignFolds(rows, folds, options.seed ?? 11);
  const reports: EvaluationReport[][] = options.thresholds.map(() => []);
  const perFold: number[] = [];
  for (let k = 0; k < folds; k++) {
    const held = rows.filter((_, i) => fold[i] === k);
    const nlp = train([...always, ...rows.filter((_, i) => fold[i] !== k)]);
    options.thresholds.forEach((t, j) => {
      const report = evaluate(nlp.withThreshold(t), held);
      reports[j]!.push(report);
      if (j === 0) perFold.push(report.intentAccuracy);
    });
    options.progress?.(k + 1, folds);
  }
  return {
    folds,
    examples: rows.length,
    scores: options.thresholds.map((threshold, j) => ({ threshold, ...pooled(reports[j]!) })),
    perFold,
    mistakes: reports[0]!.flatMap((r) => r.mistakes),
  };
}

/** The fold of each row: per intent, a seeded shuffle dealt round-robin, so folds keep the mix. */
export function assignFolds(rows: readonly Utterance[], folds: number, seed: number): number[] {
  const random = seededRandom(seed);
  const byIntent = new Map<string, number[]>();
  rows.forEach((u, i) => {
    byIntent.set(u.intent, [...(byIntent.get(u.intent) ?? []), i]);
  });
  const out = new Array<number>(rows.length).fill(0);
  let next = 0;
  for (const intent of [...byIntent.keys()].sort()) {
    const indexes = byIntent.get(intent)!;
    for (let i = indexes.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
    }
    // Continue dealing where the last intent stopped, so small intents do not all start at fold 0.
    for (const i of indexes) out[i] = next++ % folds;
  }
  return out;
}

/** Micro-averaged scores over several reports, as if they were one. */
function pooled(reports: readonly EvaluationReport[]): { intentAccuracy: number; entityF1: number } {
  let examples = 0;
  let correct = 0;
  let hits = 0;
  let predicted = 0;
  let expected = 0;
  for (const r of reports) {
    examples += r.examples;
    correct += Math.round(r.intentAccuracy * r.examples);
    for (const s of Object.values(r.byEntity)) hits += s.truePositives;
    predicted += r.predictedCount;
    expected += r.expectedCount;
  }
  const precision = predicted === 0 ? 1 : hits / predicted;
  const recall = expected === 0 ? 1 : hits / expected;
  return {
    intentAccuracy: examples === 0 ? 0 : correct / examples,
    entityF1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}
