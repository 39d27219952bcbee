import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { Matcher } from '../metrics/matchers.js';
import { type RangeSeries, WINDOW_FUNCTIONS, type WindowFunction } from '../metrics/query-engine.js';
import { histogramQuantile } from '../metrics/query-functions.js';
import { aggregate } from './aggregate.js';
import type { Call, Expr, MatrixSelector } from './ast.js';
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
}

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
  constructor(private readonly reader: SeriesReader) {}

  evaluate(expr: Expr, atMs: number): Value {
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
      case 'aggregate': {
        const param = expr.param ? this.scalar(expr.param, atMs) : 0;
        return vector(aggregate(expr.op, this.vector(expr.expr, atMs), expr.grouping, expr.without, param));
      }
      case 'call':
        return this.call(expr, atMs);
    }
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
