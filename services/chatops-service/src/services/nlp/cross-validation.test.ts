import { describe, expect, it } from 'vitest';
import { NlpProcessor } from '../nlp-processor.js';
import { assignFolds, crossValidate } from './cross-validation.js';
import { DEFAULT_LEXICON } from './lexicon.js';
import type { Utterance } from './utterances.js';

const row = (text: string, intent: string): Utterance => ({
  id: text,
  text,
  intent,
  entities: {},
  split: 'train',
});
const rows = [
  ...['list alerts', 'any alerts', 'show alerts', 'alerts firing', 'what is firing'].map((t) =>
    row(t, 'alerts.list'),
  ),
  ...['list models', 'any models', 'show models', 'models please', 'which models exist'].map((t) =>
    row(t, 'models.list'),
  ),
  ...['tell me a joke', 'book a flight', 'order lunch', 'weather today', 'play a song'].map((t) =>
    row(t, 'unknown'),
  ),
];

describe('crossValidate', () => {
  it('deals each intent evenly over the folds, the same way every time', () => {
    const folds = assignFolds(rows, 5, 3);
    expect(assignFolds(rows, 5, 3)).toEqual(folds);
    for (const intent of ['alerts.list', 'models.list', 'unknown']) {
      const mine = folds.filter((_, i) => rows[i]!.intent === intent);
      expect(new Set(mine).size).toBe(5);
    }
  });

  it('scores each fold with a model that never saw it, at every threshold', () => {
    const seen: number[][] = [];
    const cv = crossValidate(
      rows,
      [row('alerts', 'alerts.list')],
      (examples) => {
        seen.push(examples.map((e) => rows.indexOf(e)));
        return NlpProcessor.train(examples, DEFAULT_LEXICON);
      },
      { folds: 5, thresholds: [0.3, 0.99] },
    );
    expect(seen).toHaveLength(5);
    // Each fold is trained on the fixed rows and the four other folds: 12 of the 15 rows, plus one.
    for (const trained of seen) expect(trained).toHaveLength(13);
    expect(cv.examples).toBe(15);
    expect(cv.perFold).toHaveLength(5);
    expect(cv.scores.map((s) => s.threshold)).toEqual([0.3, 0.99]);
    // Asking back on everything below 0.99 certainty can only read fewer messages right.
    expect(cv.scores[1]!.intentAccuracy).toBeLessThanOrEqual(cv.scores[0]!.intentAccuracy);
    expect(cv.scores[0]!.intentAccuracy).toBeGreaterThan(0.5);
  });
});
