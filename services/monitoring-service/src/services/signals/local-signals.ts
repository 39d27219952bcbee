import type { Matcher } from '../metrics/matchers.js';
import type { QueryEngine } from '../metrics/query-engine.js';
import { histogramQuantile, sumBy } from '../metrics/query-functions.js';
import {
  RED_METRICS,
  type SaturationBudget,
  SIGNAL_NAMES,
  type SignalName,
  type SignalValues,
} from './signal-names.js';

const eq = (name: string, value: string): Matcher => ({ name, op: '=', value });

function total(values: ReadonlyArray<{ value: number }>): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v.value;
  return sum;
}

function finite(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/**
 * Golden signals computed from the in-process sample store, with the same definitions the
 * PromQL of `promql.ts` uses against a real Prometheus:
 * - request_rate: sum(rate(http_requests_total{service}[w]))
 * - error_ratio: 5xx rate / request rate (null without traffic)
 * - latency_pNN: histogram_quantile(q, sum by (le) (rate(..._bucket{service}[w])))
 * - availability: avg over instances of avg_over_time(up{service}[w])
 * - saturation: max over instances of max(lag / lag budget, rss / memory budget)
 */
export class LocalSignals {
  constructor(
    private readonly engine: QueryEngine,
    private readonly budget: SaturationBudget,
  ) {}

  evaluate(service: string, signal: SignalName, windowMs: number, atMs: number): number | null {
    const svc = eq('service', service);
    switch (signal) {
      case 'request_rate':
        return finite(total(this.engine.rate([eq('__name__', RED_METRICS.requests), svc], windowMs, atMs)));
      case 'error_ratio': {
        const all = total(this.engine.rate([eq('__name__', RED_METRICS.requests), svc], windowMs, atMs));
        if (all === undefined || all === 0) return null;
        const errors = this.engine.rate(
          [eq('__name__', RED_METRICS.requests), svc, { name: 'status_code', op: '=~', value: '5..' }],
          windowMs,
          atMs,
        );
        return finite((total(errors) ?? 0) / all);
      }
      case 'latency_p50':
        return this.latency(svc, 0.5, windowMs, atMs);
      case 'latency_p95':
        return this.latency(svc, 0.95, windowMs, atMs);
      case 'latency_p99':
        return this.latency(svc, 0.99, windowMs, atMs);
      case 'availability': {
        const perInstance = this.engine.avgOverTime([eq('__name__', RED_METRICS.up), svc], windowMs, atMs);
        const sum = total(perInstance);
        return sum === undefined ? null : finite(sum / perInstance.length);
      }
      case 'saturation':
        return this.saturation(service, atMs);
    }
  }

  all(service: string, windowMs: number, atMs: number): SignalValues {
    const out = {} as SignalValues;
    for (const name of SIGNAL_NAMES) out[name] = this.evaluate(service, name, windowMs, atMs);
    return out;
  }

  /** Saturation and its two parts, for the service view. */
  saturation(service: string, atMs: number): number | null {
    const svc = eq('service', service);
    let worst: number | undefined;
    for (const s of this.engine.instant([eq('__name__', RED_METRICS.eventLoopLag), svc], atMs)) {
      worst = Math.max(worst ?? 0, s.value / this.budget.eventLoopLagSeconds);
    }
    for (const s of this.engine.instant([eq('__name__', RED_METRICS.residentMemory), svc], atMs)) {
      worst = Math.max(worst ?? 0, s.value / this.budget.residentMemoryBytes);
    }
    return finite(worst);
  }

  private latency(svc: Matcher, q: number, windowMs: number, atMs: number): number | null {
    const buckets = this.engine.rate([eq('__name__', RED_METRICS.durationBuckets), svc], windowMs, atMs);
    const result = histogramQuantile(q, sumBy(buckets, ['le']));
    return finite(result[0]?.value);
  }
}
