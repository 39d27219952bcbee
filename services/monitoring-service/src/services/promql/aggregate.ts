import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { AggregateOp } from './ast.js';
import { quantile } from './range-functions.js';
import { type Sample, signature } from './values.js';

/**
 * One group of an aggregation. Most operators fold each sample in as it comes (`n`, `acc`,
 * `m2`), so a member is not kept; topk, bottomk and quantile keep them.
 */
interface Group {
  labels: Labels;
  members: Sample[] | undefined;
  n: number;
  /** sum; avg, stdvar and stddev: the running mean; min and max: the extreme so far. */
  acc: number;
  /** stdvar and stddev: Welford's sum of squared differences. */
  m2: number;
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

/** One `by` label of a sample, read without building its label object when it can; missing reads "". */
const byValue = (s: Sample, name: string): string => (s.label ? s.label(name) : s.labels[name]) ?? '';

/** The `by` labels of a sample, read one by one. */
function by(s: Sample, grouping: readonly string[]): Labels {
  const out = emptyLabels();
  for (const k of grouping) {
    const v = byValue(s, k);
    if (v !== '') out[k] = v;
  }
  return out;
}

/** `a < b` with NaN below every number, as Prometheus orders samples for topk/bottomk. */
const lessThan = (a: number, b: number) => (Number.isNaN(a) ? !Number.isNaN(b) : a < b);

/** Operators whose result needs the group's members, not only a running value. */
const KEEPS_MEMBERS: ReadonlySet<AggregateOp> = new Set<AggregateOp>(['topk', 'bottomk', 'quantile']);

/** Group maps nested one level per `by` label, keyed by the label's value. */
type GroupTree = Map<string, GroupTree | Group>;

/**
 * An aggregation fed one sample at a time, grouped `by` or `without` labels as Prometheus
 * groups them. `param` is k for topk/bottomk and φ for quantile.
 *
 * Groups `by` labels are found through one map per label keyed by the sample's value: stored
 * values are interned, so no key text is built per sample (1,000 rules built and hashed some
 * 70,000 two-label keys a cycle before). An operator that folds samples in (`streams`) keeps no
 * reference to a sample once `add` returns, so a caller may pass one object it refills.
 *
 * @example
 * const agg = new Aggregator('sum', ['a'], false, 0);
 * agg.add({ labels: { a: '1', b: 'x' }, value: 2 });
 * agg.add({ labels: { a: '1', b: 'y' }, value: 3 });
 * agg.result() // [{ labels: { a: '1' }, value: 5 }]
 */
export class Aggregator {
  private readonly tree: GroupTree = new Map();
  private readonly groups: Group[] = [];
  /** True when `add` keeps no reference to the sample passed in. */
  readonly streams: boolean;

  constructor(
    private readonly op: AggregateOp,
    private readonly grouping: readonly string[],
    private readonly without: boolean,
    private readonly param: number,
  ) {
    this.streams = !KEEPS_MEMBERS.has(op);
  }

  add(s: Sample): void {
    const g = this.group(s);
    const v = s.value;
    const n = ++g.n;
    switch (this.op) {
      case 'sum':
        g.acc += v;
        return;
      case 'avg':
        // Prometheus' incremental mean, which does not overflow on large values.
        g.acc += v / n - g.acc / n;
        return;
      case 'min':
        if (n === 1 || Number.isNaN(g.acc) || v < g.acc) g.acc = v;
        return;
      case 'max':
        if (n === 1 || Number.isNaN(g.acc) || v > g.acc) g.acc = v;
        return;
      case 'stdvar':
      case 'stddev': {
        // Welford's running variance, as Prometheus computes it (see variance()).
        const delta = v - g.acc;
        g.acc += delta / n;
        g.m2 += delta * (v - g.acc);
        return;
      }
      case 'topk':
      case 'bottomk':
      case 'quantile':
        g.members!.push(s);
        return;
    }
  }

  private group(s: Sample): Group {
    const { grouping } = this;
    if (this.without || grouping.length === 0) {
      const key = this.without ? signature(groupLabels(s.labels, grouping, true)) : '';
      let g = this.tree.get(key) as Group | undefined;
      if (g === undefined) {
        g = this.newGroup(groupLabels(s.labels, grouping, this.without));
        this.tree.set(key, g);
      }
      return g;
    }
    let level = this.tree;
    const last = grouping.length - 1;
    for (let i = 0; i < last; i++) {
      const v = byValue(s, grouping[i]!);
      let next = level.get(v) as GroupTree | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(v, next);
      }
      level = next;
    }
    const v = byValue(s, grouping[last]!);
    let g = level.get(v) as Group | undefined;
    if (g === undefined) {
      // The group's labels are built once, for its first member.
      g = this.newGroup(by(s, grouping));
      level.set(v, g);
    }
    return g;
  }

  private newGroup(labels: Labels): Group {
    const g: Group = { labels, members: this.streams ? undefined : [], n: 0, acc: 0, m2: 0 };
    this.groups.push(g);
    return g;
  }

  /** The aggregated vector, one sample per group in the order groups were first seen. */
  result(): Sample[] {
    const out: Sample[] = [];
    for (const g of this.groups) {
      switch (this.op) {
        case 'topk':
        case 'bottomk': {
          const k = Math.trunc(this.param);
          if (!(k >= 1)) return [];
          const top = this.op === 'topk';
          const sorted = [...g.members!].sort((a, b) => {
            const before = top ? lessThan(b.value, a.value) : lessThan(a.value, b.value);
            const after = top ? lessThan(a.value, b.value) : lessThan(b.value, a.value);
            return before ? -1 : after ? 1 : 0;
          });
          out.push(...sorted.slice(0, k));
          continue;
        }
        case 'quantile':
          out.push({
            labels: g.labels,
            value: quantile(
              this.param,
              g.members!.map((m) => m.value),
            ),
          });
          continue;
        case 'count':
          out.push({ labels: g.labels, value: g.n });
          continue;
        case 'group':
          out.push({ labels: g.labels, value: 1 });
          continue;
        case 'stdvar':
          out.push({ labels: g.labels, value: g.m2 / g.n });
          continue;
        case 'stddev':
          out.push({ labels: g.labels, value: Math.sqrt(g.m2 / g.n) });
          continue;
        default:
          out.push({ labels: g.labels, value: g.acc });
      }
    }
    return out;
  }
}
