import { formatDuration } from '../duration.js';
import { escapeLabelValue } from '../metrics/labels.js';
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
