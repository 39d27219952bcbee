import type { SeriesFunction } from '../alerting/legacy-rules.js';
import { formatDuration } from '../duration.js';
import { escapeLabelValue } from '../metrics/labels.js';
import type { Matcher } from '../metrics/matchers.js';
import { RED_METRICS, type SaturationBudget, type SignalName } from './signal-names.js';

/**
 * The PromQL of each golden signal for one service, the same definitions LocalSignals
 * computes in process. Saturation is two queries whose larger value is the signal.
 *
 * @example
 * signalQueries('auth-service', 'request_rate', 300_000, budget)
 * // ['sum(rate(http_requests_total{service="auth-service"}[5m]))']
 */
export function signalQueries(
  service: string,
  signal: SignalName,
  windowMs: number,
  budget: SaturationBudget,
): string[] {
  const sel = `service="${escapeLabelValue(service)}"`;
  const w = formatDuration(windowMs);
  const rate = `sum(rate(${RED_METRICS.requests}{${sel}}[${w}]))`;
  const quantile = (q: number) =>
    `histogram_quantile(${q}, sum by (le) (rate(${RED_METRICS.durationBuckets}{${sel}}[${w}])))`;
  switch (signal) {
    case 'request_rate':
      return [rate];
    case 'error_ratio':
      // `or vector(0)`: no 5xx series at all means a ratio of 0, as LocalSignals gives.
      return [`(sum(rate(${RED_METRICS.requests}{${sel},status_code=~"5.."}[${w}])) or vector(0)) / ${rate}`];
    case 'latency_p50':
      return [quantile(0.5)];
    case 'latency_p95':
      return [quantile(0.95)];
    case 'latency_p99':
      return [quantile(0.99)];
    case 'availability':
      return [`avg(avg_over_time(${RED_METRICS.up}{${sel}}[${w}]))`];
    case 'saturation':
      return [
        `max(${RED_METRICS.eventLoopLag}{${sel}}) / ${budget.eventLoopLagSeconds}`,
        `max(${RED_METRICS.residentMemory}{${sel}}) / ${budget.residentMemoryBytes}`,
      ];
  }
}

/** What a series rule expression needs to be written as PromQL. */
export interface SeriesQuery {
  matchers: readonly Matcher[];
  fn: SeriesFunction;
  windowMs: number;
  sumBy?: readonly string[];
}

/**
 * The PromQL of a series rule expression, meaning what the built-in query engine computes
 * for it. Regular expressions keep their meaning: both anchor them at both ends.
 *
 * @example
 * seriesQuery({ matchers: parseSelector('http_requests_total{code="500"}'), fn: 'rate', windowMs: 300_000, sumBy: ['service'] })
 * // 'sum by (service) (rate({__name__="http_requests_total",code="500"}[5m]))'
 */
export function seriesQuery(q: SeriesQuery): string {
  const selector = `{${q.matchers.map((m) => `${m.name}${m.op}"${escapeLabelValue(m.value)}"`).join(',')}}`;
  const inner = q.fn === 'value' ? selector : `${q.fn}(${selector}[${formatDuration(q.windowMs)}])`;
  return q.sumBy ? `sum by (${q.sumBy.join(', ')}) (${inner})` : inner;
}
