import { emptyLabels, type Labels } from '../metrics/labels.js';

/** One element of an instant vector; `labels` may hold `__name__`. */
export interface Sample {
  labels: Labels;
  value: number;
  /** One label's value without building the label object, when the sample can (a stored series). */
  label?(name: string): string | undefined;
}

export type Value = { type: 'scalar'; value: number } | { type: 'vector'; samples: Sample[] };

/** A query that parsed but cannot be answered, e.g. many-to-many matching (Prometheus' 422). */
export class PromQLExecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromQLExecutionError';
  }
}

export function withoutName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const out = emptyLabels();
  for (const k in labels) if (k !== '__name__') out[k] = labels[k]!;
  return out;
}

/**
 * A key for the labels of a sample: all of them (`names` undefined), only `names` (`on`),
 * or all but `names` and `__name__` (`ignoring`), as Prometheus' signature functions do.
 */
export function signature(labels: Labels, names?: readonly string[], on = false): string {
  const keys = Object.keys(labels)
    .filter((k) =>
      names === undefined ? true : on ? names.includes(k) : k !== '__name__' && !names.includes(k),
    )
    .sort();
  let key = '';
  for (const k of keys) key += `${k}\xff${labels[k]}\xfe`;
  return key;
}

/** Prometheus refuses a vector holding one label set twice (e.g. after a name was dropped). */
export function assertUniqueLabelSets(samples: readonly Sample[]): void {
  if (samples.length < 2) return;
  const seen = new Set<string>();
  for (const s of samples) {
    const key = signature(s.labels);
    if (seen.has(key)) throw new PromQLExecutionError('vector cannot contain metrics with the same labelset');
    seen.add(key);
  }
}
