import type { NlpProcessor } from '../nlp-processor.js';
import type { Utterance } from './utterances.js';

/** Counts for one entity key: pairs found, pairs expected, pairs found that were expected. */
export interface EntityScore {
  truePositives: number;
  predicted: number;
  expected: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Mistake {
  text: string;
  expected: string;
  got: string;
  missing: string[];
  extra: string[];
}

export interface EvaluationReport {
  examples: number;
  intentAccuracy: number;
  /** Micro-averaged over every (key, value) pair. */
  entityPrecision: number;
  entityRecall: number;
  entityF1: number;
  predictedCount: number;
  expectedCount: number;
  byEntity: Record<string, EntityScore>;
  /** expected intent → intent given → messages. */
  confusion: Record<string, Record<string, number>>;
  clarifications: number;
  mistakes: Mistake[];
}

/**
 * Scores the processor on labelled utterances: intent accuracy of the top guess (a message it asks
 * back about counts as `unknown`), and entity precision/recall over (key, value) pairs, a pair
 * counting only if the value is exactly right, micro-averaged and per key.
 */
export function evaluate(nlp: NlpProcessor, utterances: readonly Utterance[]): EvaluationReport {
  let correct = 0;
  let clarifications = 0;
  const total = score();
  const byEntity: Record<string, ReturnType<typeof score>> = {};
  const confusion: Record<string, Record<string, number>> = {};
  const mistakes: Mistake[] = [];
  for (const u of utterances) {
    const result = nlp.interpret(u.text);
    if (result.clarify) clarifications++;
    const want = pairs(u.entities);
    const got = pairs(result.entities);
    const hits = got.filter((p) => want.includes(p));
    total.add(hits.length, got.length, want.length);
    for (const key of new Set([...want, ...got].map((p) => p.slice(0, p.indexOf('='))))) {
      const mine = (list: string[]) => list.filter((p) => p.startsWith(`${key}=`)).length;
      byEntity[key] ??= score();
      byEntity[key].add(mine(hits), mine(got), mine(want));
    }
    confusion[u.intent] ??= {};
    const row = confusion[u.intent]!;
    row[result.intent] = (row[result.intent] ?? 0) + 1;
    const intentOk = result.intent === u.intent;
    if (intentOk) correct++;
    if (!intentOk || hits.length !== want.length || hits.length !== got.length) {
      mistakes.push({
        text: u.text,
        expected: u.intent,
        got: result.intent,
        missing: want.filter((p) => !got.includes(p)),
        extra: got.filter((p) => !want.includes(p)),
      });
    }
  }
  const overall = total.result();
  return {
    examples: utterances.length,
    intentAccuracy: utterances.length === 0 ? 0 : correct / utterances.length,
    entityPrecision: overall.precision,
    entityRecall: overall.recall,
    entityF1: overall.f1,
    predictedCount: overall.predicted,
    expectedCount: overall.expected,
    byEntity: Object.fromEntries(
      Object.entries(byEntity)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, s]) => [k, s.result()]),
    ),
    confusion,
    clarifications,
    mistakes,
  };
}

/**
 * The out-of-scope threshold that reads the most messages right, tried over a range on the given
 * (tuning) messages; ties go to the lower threshold, which asks back less often.
 */
export function calibrateThreshold(
  nlp: NlpProcessor,
  utterances: readonly Utterance[],
  candidates: readonly number[] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6],
): { threshold: number; accuracy: number; tried: { threshold: number; accuracy: number }[] } {
  const tried = candidates.map((threshold) => ({
    threshold,
    accuracy: evaluate(nlp.withThreshold(threshold), utterances).intentAccuracy,
  }));
  const best = tried.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  return { ...best, tried };
}

function score() {
  let truePositives = 0;
  let predicted = 0;
  let expected = 0;
  return {
    add(tp: number, p: number, e: number) {
      truePositives += tp;
      predicted += p;
      expected += e;
    },
    result(): EntityScore {
      const precision = predicted === 0 ? 1 : truePositives / predicted;
      const recall = expected === 0 ? 1 : truePositives / expected;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { truePositives, predicted, expected, precision, recall, f1 };
    },
  };
}

function pairs(entities: object): string[] {
  return Object.entries(entities).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
}
