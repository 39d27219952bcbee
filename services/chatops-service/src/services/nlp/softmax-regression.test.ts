import { describe, expect, it } from 'vitest';
import { BlendedClassifier } from './blended-classifier.js';
import { NaiveBayes } from './naive-bayes.js';
import { SoftmaxRegression } from './softmax-regression.js';

const examples = [
  { label: 'greet', features: ['w:hello', 'w:there', 'w:the'] },
  { label: 'greet', features: ['w:hi', 'w:the'] },
  { label: 'leave', features: ['w:bye', 'w:now', 'w:the'] },
  { label: 'leave', features: ['w:goodbye', 'w:the'] },
];

describe('SoftmaxRegression', () => {
  it('learns which features tell labels apart, with probabilities summing to one', () => {
    const model = SoftmaxRegression.train(examples);
    expect(model.rank(['w:hello'])[0]!.label).toBe('greet');
    expect(model.rank(['w:bye', 'w:the'])[0]!.label).toBe('leave');
    const p = model.probabilities(['w:hi']);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // A feature every label has says little either way.
    expect(Math.abs(model.probabilities(['w:the'])[0]! - 0.5)).toBeLessThan(0.2);
  });

  it('trains the same model twice and survives its stored form', () => {
    const a = SoftmaxRegression.train(examples).toJSON();
    expect(SoftmaxRegression.train(examples).toJSON()).toEqual(a);
    const loaded = SoftmaxRegression.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(loaded.rank(['w:goodbye'])[0]!.label).toBe('leave');
  });

  it('blends with naive Bayes by averaging probabilities', () => {
    const bayes = NaiveBayes.fromCounts(NaiveBayes.count(examples));
    const softmax = SoftmaxRegression.train(examples);
    const blend = new BlendedClassifier(bayes, softmax);
    const f = ['w:hello', 'w:now'];
    const expected = (bayes.probabilities(f)[0]! + softmax.probabilities(f)[0]!) / 2;
    expect(blend.probabilities(f)[0]).toBeCloseTo(expected, 12);
    expect(() => new BlendedClassifier(bayes, SoftmaxRegression.train(examples.slice(0, 2)))).toThrow(
      /labels/,
    );
  });

  it('averages fits from several seeds into one weight vector per feature', () => {
    const one = SoftmaxRegression.train(examples, { runs: 1, seed: 7 });
    const two = SoftmaxRegression.train(examples, { runs: 1, seed: 7 + 7919 });
    const mean = SoftmaxRegression.train(examples, { runs: 2, seed: 7 });
    const w = (m: SoftmaxRegression) => m.toJSON().weights['w:hello']!;
    for (const [c, v] of w(mean).entries()) expect(v).toBeCloseTo((w(one)[c]! + w(two)[c]!) / 2, 3);
  });
});
