import type { NlpProcessor } from '../nlp-processor.js';
import type { Utterance } from './utterances.js';

export interface EvaluationReport {
  examples: number;
  intentAccuracy: number;
  entityPrecision: number;
  entityRecall: number;
  entityF1: number;
  clarifications: number;
  mistakes: { text: string; expected: string; got: string; missing: string[]; extra: string[] }[];
}

/**
 * Scores the processor on labelled utterances: intent accuracy of the top guess, and micro-averaged
 * entity precision/recall over (key, value) pairs, a pair counting only if the value is exactly right.
 */
export function evaluate(nlp: NlpProcessor, utterances: readonly Utterance[]): EvaluationReport {
  let correct = 0;
  let truePositives = 0;
  let predicted = 0;
  let expected = 0;
  let clarifications = 0;
  const mistakes: EvaluationReport['mistakes'] = [];
  for (const u of utterances) {
    const result = nlp.interpret(u.text);
    if (result.clarify) clarifications++;
    const want = pairs(u.entities);
    const got = pairs(result.entities);
    const hits = got.filter((p) => want.includes(p));
    truePositives += hits.length;
    predicted += got.length;
    expected += want.length;
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
  const precision = predicted === 0 ? 1 : truePositives / predicted;
  const recall = expected === 0 ? 1 : truePositives / expected;
  return {
    examples: utterances.length,
    intentAccuracy: utterances.length === 0 ? 0 : correct / utterances.length,
    entityPrecision: precision,
    entityRecall: recall,
    entityF1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    clarifications,
    mistakes,
  };
}

function pairs(entities: object): string[] {
  return Object.entries(entities).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
}
