import { emptyLabels, type Labels } from '../metrics/labels.js';
import { groupingKey } from '../metrics/query-functions.js';
import type { AggregateOp } from './ast.js';
import { quantile, variance } from './range-functions.js';
import { type Sample, signature } from './values.js';

interface Group {
  labels: Labels;
  members: Sample[];
}

function groupLabels(labels: Labels, grouping: readonly string[], without: boolean): Labels {
  const out = emptyLabels();
  if (without) {
    for (const k in labels) if (k !== '__name__' && !grouping.includes(k)) out[k] = labels[k]!;
  } else {
    for (const k of grouping) {
      const v = labels[k];
      if (v !== undefined && v !== '') out[k] = v;
    }
  }
  return out;
}

/** The `by` labels of a sample, read one by one. */
function by(s: Sample, grouping: readonly string[]): Labels {
  const out = emptyLabels();
  for (const k of grouping) {
    const v = s.label!(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** `a < b` with NaN below every number, as Prometheus orders samples for topk/bottomk. */
const lessThan = (a: number, b: number) => (Number.isNaN(a) ? !Number.isNaN(b) : a < b);

/**
 * An aggregation over an instant vector, grouped `by` or `without` labels as Prometheus
 * groups them. `param` is k for topk/bottomk and φ for quantile.
 *
 * @example
 * aggregate('sum', [{ labels: { a: '1', b: 'x' }, value: 2 }, { labels: { a: '1', b: 'y' }, value: 3 }], ['a'], false, 0)
 * // [{ labels: { a: '1' }, value: 5 }]
 */
export function aggregate(
  op: AggregateOp,
  samples: readonly Sample[],
  grouping: readonly string[],
  without: boolean,
  param: number,
): Sample[] {
  const groups = new Map<string, Group>();
  for (const s of samples) {
    // `by`: keyed by the values alone, read without building the sample's label object; the
    // group's labels are built once, for its first member.
    const key = without ? signature(groupLabels(s.labels, grouping, true)) : groupingKey(s, grouping);
    let g = groups.get(key);
    if (!g) {
      g = {
        labels: groupLabels(s.label && !without ? by(s, grouping) : s.labels, grouping, without),
        members: [],
      };
      groups.set(key, g);
    }
    g.members.push(s);
  }
  const out: Sample[] = [];
  for (const g of groups.values()) {
    const values = g.members.map((m) => m.value);
    switch (op) {
      case 'topk':
      case 'bottomk': {
        const k = Math.trunc(param);
        if (!(k >= 1)) return [];
        const sorted = [...g.members].sort((a, b) => {
          const before = op === 'topk' ? lessThan(b.value, a.value) : lessThan(a.value, b.value);
          const after = op === 'topk' ? lessThan(a.value, b.value) : lessThan(b.value, a.value);
          return before ? -1 : after ? 1 : 0;
        });
        out.push(...sorted.slice(0, k));
        continue;
      }
      case 'sum': {
        let total = 0;
        for (const v of values) total += v;
        out.push({ labels: g.labels, value: total });
        continue;
      }
      case 'avg': {
        // Prometheus' incremental mean, which does not overflow on large values.
        let mean = 0;
        let n = 0;
        for (const v of values) {
          n++;
          mean += v / n - mean / n;
        }
        out.push({ labels: g.labels, value: mean });
        continue;
      }
      case 'min':
      case 'max': {
        let m = values[0]!;
        for (const v of values) {
          if (Number.isNaN(m) || (op === 'min' ? v < m : v > m)) m = v;
        }
        out.push({ labels: g.labels, value: m });
        continue;
      }
      case 'count':
        out.push({ labels: g.labels, value: values.length });
        continue;
      case 'group':
        out.push({ labels: g.labels, value: 1 });
        continue;
      case 'stdvar':
        out.push({ labels: g.labels, value: variance(values) });
        continue;
      case 'stddev':
        out.push({ labels: g.labels, value: Math.sqrt(variance(values)) });
        continue;
      case 'quantile':
        out.push({ labels: g.labels, value: quantile(param, values) });
        continue;
    }
  }
  return out;
}
