import { DurationError, parseDuration } from '../duration.js';
import type { Labels } from '../metrics/labels.js';
import { PromQLEvaluator, type SeriesReader } from './evaluate.js';
import { formatSampleValue } from './format.js';
import { PromQLError, parsePromQL, typeOf } from './parse.js';
import { PromQLExecutionError, signature } from './values.js';

/** Prometheus' limit on the points of one series in a range query. */
export const MAX_POINTS = 11_000;
/**
 * The longest a range query may compute. Evaluation runs on the event loop, so a step count
 * times a large store could hold it for minutes; past this the query is refused (Prometheus'
 * own limit is a timeout too).
 */
export const RANGE_BUDGET_MS = 5_000;

type Point = [seconds: number, value: string];

export type QueryData =
  | { resultType: 'scalar'; result: Point }
  | { resultType: 'vector'; result: Array<{ metric: Labels; value: Point }> }
  | { resultType: 'matrix'; result: Array<{ metric: Labels; values: Point[] }> };

/** An answer in Prometheus' HTTP API format, with the status code Prometheus gives it. */
export type QueryAnswer =
  | { status: 200; body: { status: 'success'; data: QueryData } }
  | { status: 400 | 422; body: { status: 'error'; errorType: 'bad_data' | 'execution'; error: string } };

const badData = (error: string): QueryAnswer => ({
  status: 400,
  body: { status: 'error', errorType: 'bad_data', error },
});

/** A time parameter: RFC 3339 or Unix seconds (fractions allowed), as Prometheus accepts. */
export function parseTime(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const ms = Number(t) * 1000;
    return Number.isFinite(ms) ? Math.round(ms) : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A step: seconds (fractions allowed) or a duration such as `30s`. */
function parseStep(text: string): number | undefined {
  const t = text.trim();
  if (/^(\d+\.?\d*|\.\d+)$/.test(t)) return Math.round(Number(t) * 1000);
  try {
    return parseDuration(t);
  } catch (err) {
    if (err instanceof DurationError) return undefined;
    throw err;
  }
}

const point = (ms: number, v: number): Point => [ms / 1000, formatSampleValue(v)];

/**
 * `/query` and `/query_range` answered by the built-in engine over the built-in store, in
 * Prometheus' response format, so its clients (Grafana, promtool, scripts) work unchanged.
 */
export class PromQLQueries {
  private readonly evaluator: PromQLEvaluator;

  constructor(
    private readonly reader: SeriesReader,
    private readonly now: () => number,
    private readonly rangeBudgetMs = RANGE_BUDGET_MS,
  ) {
    this.evaluator = new PromQLEvaluator(reader);
  }

  instant(query: string, time: string | undefined): QueryAnswer {
    const at = time === undefined ? this.now() : parseTime(time);
    if (at === undefined)
      return badData(`invalid parameter "time": cannot parse "${time}" to a valid timestamp`);
    return this.answer(query, (expr) => {
      if (expr.kind === 'matrix') {
        const end = at - expr.selector.offsetMs;
        // Raw samples of the window (end - range, end], as Prometheus returns for `x[5m]`.
        const series = this.reader.range(expr.selector.matchers, end - expr.rangeMs + 1, end);
        return {
          resultType: 'matrix',
          result: series.map((s) => ({ metric: s.labels, values: s.points.map(([t, v]) => point(t, v)) })),
        };
      }
      const v = this.evaluator.evaluate(expr, at);
      if (v.type === 'scalar') return { resultType: 'scalar', result: point(at, v.value) };
      return {
        resultType: 'vector',
        result: v.samples.map((s) => ({ metric: s.labels, value: point(at, s.value) })),
      };
    });
  }

  range(query: string, start: string, end: string, step: string): QueryAnswer {
    const from = parseTime(start);
    if (from === undefined)
      return badData(`invalid parameter "start": cannot parse "${start}" to a valid timestamp`);
    const to = parseTime(end);
    if (to === undefined)
      return badData(`invalid parameter "end": cannot parse "${end}" to a valid timestamp`);
    if (to < from) return badData('invalid parameter "end": end timestamp must not be before start time');
    const stepMs = parseStep(step);
    if (stepMs === undefined)
      return badData(`invalid parameter "step": cannot parse "${step}" to a valid duration`);
    if (stepMs <= 0)
      return badData(
        'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
      );
    if ((to - from) / stepMs > MAX_POINTS)
      return badData(
        `exceeded maximum resolution of ${MAX_POINTS} points per timeseries. Try decreasing the query resolution (?step=XX)`,
      );
    return this.answer(query, (expr) => {
      const t = typeOf(expr);
      if (t !== 'scalar' && t !== 'instant vector')
        throw new PromQLError(
          'syntax',
          `invalid expression type "${t}" for range query, must be Scalar or instant Vector`,
        );
      const series = new Map<string, { metric: Labels; values: Point[] }>();
      const started = performance.now();
      for (let at = from; at <= to; at += stepMs) {
        if (performance.now() - started > this.rangeBudgetMs)
          throw new PromQLExecutionError(
            `query processing would take longer than ${this.rangeBudgetMs / 1000}s; shorten the range, raise the step or select fewer series`,
          );
        const v = this.evaluator.evaluate(expr, at);
        const samples = v.type === 'scalar' ? [{ labels: {}, value: v.value }] : v.samples;
        for (const s of samples) {
          const key = signature(s.labels);
          let entry = series.get(key);
          if (!entry) {
            entry = { metric: s.labels, values: [] };
            series.set(key, entry);
          }
          entry.values.push(point(at, s.value));
        }
      }
      const result = [...series.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
      return { resultType: 'matrix', result };
    });
  }

  private answer(query: string, run: (expr: ReturnType<typeof parsePromQL>) => QueryData): QueryAnswer {
    let expr: ReturnType<typeof parsePromQL>;
    try {
      expr = parsePromQL(query);
    } catch (err) {
      if (err instanceof PromQLError) return badData(err.message);
      throw err;
    }
    try {
      return { status: 200, body: { status: 'success', data: run(expr) } };
    } catch (err) {
      if (err instanceof PromQLError) return badData(err.message);
      if (err instanceof PromQLExecutionError)
        return { status: 422, body: { status: 'error', errorType: 'execution', error: err.message } };
      throw err;
    }
  }
}
