import { describe, expect, it } from 'vitest';
import { NaiveBayes } from './naive-bayes.js';

const examples = [
  { label: 'greet', features: ['w:hello', 'w:there'] },
  { label: 'greet', features: ['w:hi'] },
  { label: 'leave', features: ['w:bye', 'w:now'] },
  { label: 'leave', features: ['w:goodbye'] },
];

describe('NaiveBayes', () => {
  it('ranks the label whose features match first, with probabilities summing to one', () => {
    const nb = NaiveBayes.train(examples);
    const ranked = nb.rank(['w:hello']);
    expect(ranked[0]!.label).toBe('greet');
    expect(ranked[0]!.probability).toBeGreaterThan(0.5);
    expect(ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 10);
    expect(nb.rank(['w:bye'])[0]!.label).toBe('leave');
  });

  it('is flat when no feature is known', () => {
    const ranked = NaiveBayes.train(examples).rank(['w:unseen']);
    expect(ranked.map((r) => r.probability)).toEqual([0.5, 0.5]);
  });

  it('is deterministic', () => {
    expect(NaiveBayes.train(examples).rank(['w:hi', 'w:now'])).toEqual(
      NaiveBayes.train(examples).rank(['w:hi', 'w:now']),
    );
  });
});
