import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { Matcher } from '../metrics/matchers.js';
import { type RangeSeries, WINDOW_FUNCTIONS, type WindowFunction } from '../metrics/query-engine.js';
import { histogramQuantile } from '../metrics/query-functions.js';
import { Aggregator } from './aggregate.js';
import type { Aggregate, Call, Expr, MatrixSelector } from './ast.js';
import { isComparison, scalarBinary, vectorScalar, vectorVector } from './binary.js';
import { RANGE_FUNCTIONS } from './range-functions.js';
import { assertUniqueLabelSets, type Sample, type Value, withoutName } from './values.js';

/** What the evaluator reads: the built-in query engine fits it. */
export interface SeriesReader {
  /** The newest sample of each matching series at `atMs`, within the lookback; labels with `__name__`. */
  instant(matchers: readonly Matcher[], atMs: number): Array<{ labels: Labels; value: number }>;
  /** The samples of each matching series in [startMs, endMs]; labels with `__name__`. */
  range(matchers: readonly Matcher[], startMs: number, endMs: number): RangeSeries[];
  /** The functions of WINDOW_FUNCTIONS over (atMs - windowMs, atMs] without reading points, when the reader can. */
  windowFunction?(fn: WindowFunction, matchers: readonly Matcher[], windowMs: number, atMs: number): Sample[];
  /**
   * windowFunction's values passed one by one to `visit` in one refilled sample object, when
   * the reader can: an aggregation of them then allocates nothing per series.
   */
  windowValues?(
    fn: WindowFunction,
    matchers: readonly Matcher[],
    windowMs: number,
    atMs: number,
    visit: (sample: Sample) => void,
  ): void;
  /** Changes whenever a read may answer differently; lets results be reused while it holds. */
  version?(): number;
}

/** Samples of one instant's results kept for reuse across expressions (some 40 bytes each). */
const MAX_SHARED_SAMPLES = 100_000;

/**
 * A text naming what a subexpression computes, the same for equal subtrees of different
 * expressions (JSON, with the numbers JSON cannot write spelled out).
 */
const exprKey = (e: Expr): string =>
  JSON.stringify(e, (_k, v) =>
    typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))
      ? `#${Object.is(v, -0) ? '-0' : v}`
      : v,
  );

const MATH: Readonly<Record<string, (v: number) => number>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
};

/** Go's math.Round: halves away from zero (Math.round rounds them up). */
const goRound = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/**
 * Evaluates a parsed PromQL expression at one instant over the built-in store, with
 * Prometheus' semantics for selectors (lookback, staleness), range windows (left-open, as in
 * Prometheus 3), functions, aggregations and vector matching.
 */
export class PromQLEvaluator {
  /**
   * Results of aggregations and function calls at one instant, by exprKey, while the reader's
   * version holds: the rules of one cycle repeat subexpressions (a request-rate rule, an error
   * ratio and a burn rate all sum `rate(http_requests_total{service="x"}[5m])` by service), and
   * each is computed once. Only the latest instant is kept; results are shared, never changed.
   */
  private readonly shared = new Map<string, Value>();
  private sharedAt = Number.NaN;
  private sharedVersion = Number.NaN;
  private sharedHeld = 0;
  /** exprKey by node: a rule's parsed expression is evaluated with the same nodes every cycle. */
  private readonly keys = new WeakMap<Expr, string>();

  constructor(private readonly reader: SeriesReader) {}

  evaluate(expr: Expr, atMs: number): Value {
    if ((expr.kind === 'aggregate' || expr.kind === 'call') && this.reader.version !== undefined)
      return this.reused(expr, atMs, this.reader.version());
    return this.compute(expr, atMs);
  }

  private reused(expr: Expr, atMs: number, version: number): Value {
    if (atMs !== this.sharedAt || version !== this.sharedVersion) {
      this.shared.clear();
      this.sharedHeld = 0;
      this.sharedAt = atMs;
      this.sharedVersion = version;
    }
    let key = this.keys.get(expr);
    if (key === undefined) {
      key = exprKey(expr);
      this.keys.set(expr, key);
    }
    const known = this.shared.get(key);
    if (known !== undefined) return known;
    const v = this.compute(expr, atMs);
    const size = v.type === 'vector' ? v.samples.length : 1;
    if (this.sharedHeld + size <= MAX_SHARED_SAMPLES) {
      this.shared.set(key, v);
      this.sharedHeld += size;
    }
    return v;
  }

  private compute(expr: Expr, atMs: number): Value {
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', value: expr.value };
      case 'string':
      case 'matrix':
        throw new Error(`a ${expr.kind} is only evaluated as a function argument`);
      case 'selector':
        return {
          type: 'vector',
          samples: this.reader.instant(expr.matchers, atMs - expr.offsetMs),
        };
      case 'unary': {
        const v = this.evaluate(expr.expr, atMs);
        if (expr.op === '+') return v;
        if (v.type === 'scalar') return { type: 'scalar', value: -v.value };
        return vector(
          v.samples.map((s) => ({ labels: withoutName(s.labels), value: -s.value })),
          true,
        );
      }
      case 'binary': {
        const l = this.evaluate(expr.lhs, atMs);
        const r = this.evaluate(expr.rhs, atMs);
        if (l.type === 'scalar' && r.type === 'scalar')
          return { type: 'scalar', value: scalarBinary(expr.op, l.value, r.value) };
        if (l.type === 'vector' && r.type === 'vector')
          return vector(vectorVector(expr.op, l.samples, r.samples, expr.matching!, expr.bool));
        const drops = !isComparison(expr.op) || expr.bool;
        if (l.type === 'vector')
          return vector(
            vectorScalar(expr.op, l.samples, (r as { value: number }).value, false, expr.bool),
            drops,
          );
        return vector(
          vectorScalar(expr.op, (r as { samples: Sample[] }).samples, l.value, true, expr.bool),
          drops,
        );
      }
      case 'aggregate':
        return this.aggregate(expr, atMs);
      case 'call':
        return this.call(expr, atMs);
    }
  }

  private aggregate(expr: Aggregate, atMs: number): Value {
    const param = expr.param ? this.scalar(expr.param, atMs) : 0;
    const agg = new Aggregator(expr.op, expr.grouping, expr.without, param);
    const folded = agg.streams && this.reader.windowValues ? foldable(expr.expr) : undefined;
    if (folded) {
      // sum(rate(x[5m])) and the like: each series' value is folded into its group as it is
      // computed, with no sample object per series.
      const { fn, m } = folded;
      const end = atMs - m.selector.offsetMs;
      this.reader.windowValues!(fn, m.selector.matchers, m.rangeMs, end, (s) => agg.add(s));
    } else for (const s of this.vector(expr.expr, atMs)) agg.add(s);
    return vector(agg.result());
  }

  private scalar(e: Expr, atMs: number): number {
    const v = this.evaluate(e, atMs);
    if (v.type !== 'scalar') throw new Error('expected a scalar');
    return v.value;
  }

  private vector(e: Expr, atMs: number): Sample[] {
    const v = this.evaluate(e, atMs);
    if (v.type !== 'vector') throw new Error('expected an instant vector');
    return v.samples;
  }

  private rangeCall(fn: string, m: MatrixSelector, atMs: number, param: number): Sample[] {
    const end = atMs - m.selector.offsetMs;
    const start = end - m.rangeMs;
    if (this.reader.windowFunction && WINDOW_FUNCTIONS.has(fn))
      return this.reader.windowFunction(fn as WindowFunction, m.selector.matchers, m.rangeMs, end);
    const apply = RANGE_FUNCTIONS[fn]!;
    const out: Sample[] = [];
    // The window is left-open, (start, end], as in Prometheus 3.
    for (const s of this.reader.range(m.selector.matchers, start + 1, end)) {
      const value = apply(s.points, start, end, param);
      if (value === undefined) continue;
      out.push({ labels: fn === 'last_over_time' ? s.labels : withoutName(s.labels), value });
    }
    return out;
  }

  private call(c: Call, atMs: number): Value {
    const a = c.args;
    switch (c.fn) {
      case 'time':
        return { type: 'scalar', value: atMs / 1000 };
      case 'scalar': {
        const v = this.vector(a[0]!, atMs);
        return { type: 'scalar', value: v.length === 1 ? v[0]!.value : Number.NaN };
      }
      case 'vector':
        return vector([{ labels: emptyLabels(), value: this.scalar(a[0]!, atMs) }]);
      case 'absent':
        return vector(this.vector(a[0]!, atMs).length > 0 ? [] : [absentSample(a[0]!)]);
      case 'absent_over_time': {
        const m = a[0] as MatrixSelector;
        return vector(this.rangeCall('count_over_time', m, atMs, 0).length > 0 ? [] : [absentSample(m)]);
      }
      case 'histogram_quantile': {
        const q = this.scalar(a[0]!, atMs);
        return vector(histogramQuantile(q, this.vector(a[1]!, atMs)));
      }
      case 'quantile_over_time':
        return vector(
          this.rangeCall(c.fn, a[1] as MatrixSelector, atMs, this.scalar(a[0]!, atMs)),
          !pinsName((a[1] as MatrixSelector).selector.matchers),
        );
      case 'sort':
      case 'sort_desc': {
        const v = [...this.vector(a[0]!, atMs)];
        const sign = c.fn === 'sort' ? 1 : -1;
        return vector(v.sort((x, y) => sign * (x.value - y.value)));
      }
      case 'round': {
        const to = a[1] ? this.scalar(a[1], atMs) : 1;
        return this.mapped(a[0]!, atMs, (v) => goRound(v * (1 / to)) / (1 / to));
      }
      case 'clamp': {
        const [min, max] = [this.scalar(a[1]!, atMs), this.scalar(a[2]!, atMs)];
        if (max < min) return vector([]);
        return this.mapped(a[0]!, atMs, (v) => Math.max(min, Math.min(max, v)));
      }
      case 'clamp_min': {
        const min = this.scalar(a[1]!, atMs);
        return this.mapped(a[0]!, atMs, (v) => Math.max(min, v));
      }
      case 'clamp_max': {
        const max = this.scalar(a[1]!, atMs);
        return this.mapped(a[0]!, atMs, (v) => Math.min(max, v));
      }
    }
    const math = MATH[c.fn];
    if (math) return this.mapped(a[0]!, atMs, math);
    const m = a[0] as MatrixSelector;
    return vector(
      this.rangeCall(c.fn, m, atMs, 0),
      c.fn !== 'last_over_time' && !pinsName(m.selector.matchers),
    );
  }

  private mapped(e: Expr, atMs: number, fn: (v: number) => number): Value {
    return vector(
      this.vector(e, atMs).map((s) => ({ labels: withoutName(s.labels), value: fn(s.value) })),
      true,
    );
  }
}

/**
 * An instant vector result. Only where `__name__` was dropped (`dropped`) can two samples end
 * up with one label set; everywhere else the construction keeps them distinct, so the check,
 * which builds every label object, runs only there.
 */
function vector(samples: Sample[], dropped = false): Value {
  if (dropped) assertUniqueLabelSets(samples);
  return { type: 'vector', samples };
}

/**
 * A call of a WINDOW_FUNCTIONS function whose values an aggregation may take one by one. Its
 * own vector would be checked for repeated label sets unless its selector pins the name (see
 * call()); folded into an aggregation it is never built, so only a pinned one qualifies.
 */
function foldable(e: Expr): { fn: WindowFunction; m: MatrixSelector } | undefined {
  if (e.kind !== 'call' || !WINDOW_FUNCTIONS.has(e.fn)) return undefined;
  const m = e.args[0];
  if (m?.kind !== 'matrix' || !pinsName(m.selector.matchers)) return undefined;
  return { fn: e.fn as WindowFunction, m };
}

/** Series selected with `__name__="x"` all have that name: dropping it cannot make two alike. */
const pinsName = (matchers: readonly Matcher[]) =>
  matchers.some((m) => m.name === '__name__' && m.op === '=');

/** absent()'s one sample: the labels its selector pins with `=` (not the metric name). */
function absentSample(arg: Expr): Sample {
  const labels = emptyLabels();
  const selector = arg.kind === 'matrix' ? arg.selector : arg.kind === 'selector' ? arg : undefined;
  if (selector) {
    // As Prometheus: a label matched other than by one `=` is left out.
    const dropped = new Set<string>();
    for (const m of selector.matchers) {
      if (m.name === '__name__') continue;
      if (m.op === '=' && !(m.name in labels)) labels[m.name] = m.value;
      else dropped.add(m.name);
    }
    for (const name of dropped) delete labels[name];
    for (const name of Object.keys(labels)) if (labels[name] === '') delete labels[name];
  }
  return { labels, value: 1 };
}
