export interface LabelledExample {
  features: readonly string[];
  label: string;
}

export interface Ranked {
  label: string;
  probability: number;
}

/** Labels with their probabilities, highest first (ties by name, so the order is stable). */
export function ranked(labels: readonly string[], p: ArrayLike<number>): Ranked[] {
  return labels
    .map((label, c) => ({ label, probability: p[c]! }))
    .sort((a, b) => b.probability - a.probability || (a.label < b.label ? -1 : 1));
}

/** What training counted, as stored in `data/intent-model.json`; weights are derived at load. */
export interface NaiveBayesCounts {
  labels: string[];
  /** Messages per label. */
  docs: number[];
  /** Feature → [label index, count] pairs for the labels it occurred with. */
  counts: Record<string, [number, number][]>;
  alpha: number;
  temperature: number;
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
    return NaiveBayes.fromCounts(NaiveBayes.count(examples, alpha, temperature));
  }

  /** The counting pass of training, kept apart so the counts can be stored and loaded. */
  static count(examples: readonly LabelledExample[], alpha = 0.3, temperature = 6): NaiveBayesCounts {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const index = new Map(labels.map((l, i) => [l, i]));
    const docs = labels.map(() => 0);
    const rows = new Map<string, Map<number, number>>();
    for (const e of examples) {
      const c = index.get(e.label)!;
      docs[c]! += 1;
      for (const f of e.features) {
        let row = rows.get(f);
        if (!row) {
          row = new Map();
          rows.set(f, row);
        }
        row.set(c, (row.get(c) ?? 0) + 1);
      }
    }
    const counts: Record<string, [number, number][]> = {};
    for (const f of [...rows.keys()].sort()) counts[f] = [...rows.get(f)!].sort((a, b) => a[0] - b[0]);
    return { labels, docs, counts, alpha, temperature };
  }

  static fromCounts(stored: NaiveBayesCounts): NaiveBayes {
    const { labels, alpha } = stored;
    const k = labels.length;
    const totals = new Float64Array(k);
    for (const pairs of Object.values(stored.counts)) for (const [c, n] of pairs) totals[c]! += n;
    const vocabulary = Object.keys(stored.counts).length;
    const all = stored.docs.reduce((a, b) => a + b, 0);
    const priors = Float64Array.from(stored.docs, (d) => Math.log(d / all));
    const base = Float64Array.from(totals, (t) => Math.log(alpha / (t + alpha * vocabulary)));
    const weights = new Map<string, Float64Array>();
    for (const [f, pairs] of Object.entries(stored.counts)) {
      const w = Float64Array.from(base);
      for (const [c, n] of pairs) w[c] = Math.log((n + alpha) / (totals[c]! + alpha * vocabulary));
      weights.set(f, w);
    }
    return new NaiveBayes(labels, priors, weights, stored.temperature);
  }

  /**
   * Labels by probability, highest first. Naive Bayes is over-confident because n-grams of one word
   * are far from independent, so log-scores are divided by a temperature before the softmax; unknown
   * features are skipped, and a message with no known feature gets a flat distribution.
   */
  rank(features: readonly string[]): Ranked[] {
    return ranked(this.labels, this.probabilities(features));
  }

  /** Probability of each label, in the order of `labels`. */
  probabilities(features: readonly string[]): Float64Array {
    const k = this.labels.length;
    const scores = new Float64Array(k);
    let known = 0;
    for (const f of features) {
      const w = this.weights.get(f);
      if (!w) continue;
      known++;
      for (let c = 0; c < k; c++) scores[c]! += w[c]!;
    }
    return this.finish(scores, known);
  }

  /** Every feature the model weighs. */
  featureNames(): IterableIterator<string> {
    return this.weights.keys();
  }

  /** A feature's weight per label; undefined for a feature never seen in training. */
  weightOf(feature: string): Float64Array | undefined {
    return this.weights.get(feature);
  }

  /** Summed weights of `known` features made probabilities (in place). */
  finish(scores: Float64Array, known: number): Float64Array {
    const k = this.labels.length;
    if (known === 0) return scores.fill(1 / k);
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
    for (let c = 0; c < k; c++) scores[c]! /= sum;
    return scores;
  }
}
