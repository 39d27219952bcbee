export interface LabelledExample {
  features: readonly string[];
  label: string;
}

export interface Ranked {
  label: string;
  probability: number;
}

/**
 * Multinomial naive Bayes with additive smoothing. Training is one counting pass (milliseconds for
 * a few hundred messages) and fully deterministic; scoring sums one precomputed vector per feature.
 *
 * @example
 * const nb = NaiveBayes.train([{ features: ['w:help'], label: 'help' }, ...]);
 * nb.rank(['w:help'])[0] // { label: 'help', probability: 0.97 }
 */
export class NaiveBayes {
  private constructor(
    readonly labels: readonly string[],
    private readonly priors: Float64Array,
    private readonly weights: Map<string, Float64Array>,
    private readonly temperature: number,
  ) {}

  static train(examples: readonly LabelledExample[], alpha = 0.3, temperature = 6): NaiveBayes {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const index = new Map(labels.map((l, i) => [l, i]));
    const counts = new Map<string, Float64Array>();
    const totals = new Float64Array(labels.length);
    const docs = new Float64Array(labels.length);
    for (const e of examples) {
      const c = index.get(e.label)!;
      docs[c]! += 1;
      for (const f of e.features) {
        let row = counts.get(f);
        if (!row) {
          row = new Float64Array(labels.length);
          counts.set(f, row);
        }
        row[c]! += 1;
        totals[c]! += 1;
      }
    }
    const vocabulary = counts.size;
    const priors = new Float64Array(labels.length);
    for (let c = 0; c < labels.length; c++) priors[c] = Math.log(docs[c]! / examples.length);
    const weights = new Map<string, Float64Array>();
    for (const [f, row] of counts) {
      const w = new Float64Array(labels.length);
      for (let c = 0; c < labels.length; c++)
        w[c] = Math.log((row[c]! + alpha) / (totals[c]! + alpha * vocabulary));
      weights.set(f, w);
    }
    return new NaiveBayes(labels, priors, weights, temperature);
  }

  /**
   * Labels by probability, highest first. Naive Bayes is over-confident because n-grams of one word
   * are far from independent, so log-scores are divided by a temperature before the softmax; unknown
   * features are skipped, and a message with no known feature gets a flat distribution.
   */
  rank(features: readonly string[]): Ranked[] {
    const k = this.labels.length;
    const scores = new Float64Array(k);
    let known = 0;
    for (const f of features) {
      const w = this.weights.get(f);
      if (!w) continue;
      known++;
      for (let c = 0; c < k; c++) scores[c]! += w[c]!;
    }
    if (known === 0) return this.labels.map((label) => ({ label, probability: 1 / k }));
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      scores[c] = (scores[c]! + this.priors[c]!) / this.temperature;
      if (scores[c]! > max) max = scores[c]!;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      scores[c] = Math.exp(scores[c]! - max);
      sum += scores[c]!;
    }
    return this.labels
      .map((label, c) => ({ label, probability: scores[c]! / sum }))
      .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
  }
}
