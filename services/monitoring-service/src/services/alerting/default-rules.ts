import type { RuleSpec } from './rule-model.js';

export interface DefaultRuleOptions {
  /** Availability objective of every service, e.g. 0.999. */
  sloObjective: number;
}

/**
 * The rule pack installed on first start, in PromQL: a service down, a high error ratio, a high p99
 * latency, and the SRE workbook's multi-window burn-rate alerts for the availability SLO
 * (14.4x over 1h and 5m pages: 2% of a 30-day budget in an hour; 6x over 6h and 30m: 5% in
 * six hours).
 */
export function defaultRules(options: DefaultRuleOptions): Array<RuleSpec & { id: string }> {
  const budget = `${Number(((1 - options.sloObjective) * 100).toPrecision(6))}%`;
  const share = Number((1 - options.sloObjective).toPrecision(12));
  const errorRatio = (w: string) =>
    `sum by (service) (rate(http_requests_total{status_code=~"5.."}[${w}])) / sum by (service) (rate(http_requests_total[${w}]))`;
  // Both windows burn faster than the factor; the alert's value is the long window's burn rate.
  const burn = (long: string, short: string, factor: number) =>
    `${errorRatio(long)} / ${share} > ${factor}\nand\n${errorRatio(short)} / ${share} > ${factor}`;
  return [
    {
      id: 'rul_builtinServiceDown',
      name: 'ServiceDown',
      expr: 'up == 0',
      // Short, so a stopped service is seen firing within a minute at the default intervals.
      for: '20s',
      keepFiringFor: '0s',
      severity: 'critical',
      labels: {},
      annotations: {
        summary: '{{ $labels.service }} is down',
        description:
          'Instance {{ $labels.instance }} of {{ $labels.service }} does not answer its /metrics scrape.',
      },
      enabled: true,
    },
    {
      id: 'rul_builtinHighErrorRatio',
      name: 'HighErrorRatio',
      expr: `${errorRatio('5m')} > 0.05`,
      for: '2m',
      keepFiringFor: '0s',
      severity: 'critical',
      labels: {},
      annotations: {
        summary: '{{ $labels.service }} fails {{ humanizePercentage $value }} of requests',
        description:
          'More than 5% of requests to {{ $labels.service }} ended in a 5xx over the last 5 minutes.',
        // The golden signal this rule watches: the console colours that signal by its threshold.
        signal: 'error_ratio',
      },
      enabled: true,
    },
    {
      id: 'rul_builtinHighLatencyP99',
      name: 'HighLatencyP99',
      expr: 'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
      for: '5m',
      keepFiringFor: '0s',
      severity: 'warning',
      labels: {},
      annotations: {
        summary: '{{ $labels.service }} p99 latency is {{ humanizeDuration $value }}',
        description: 'The 99th percentile of request latency of {{ $labels.service }} is above 1s.',
        signal: 'latency_p99',
      },
      enabled: true,
    },
    {
      id: 'rul_builtinErrorBudgetBurnFast',
      name: 'ErrorBudgetBurnFast',
      expr: burn('1h', '5m', 14.4),
      for: '2m',
      keepFiringFor: '0s',
      severity: 'critical',
      labels: { slo: 'availability' },
      annotations: {
        summary: '{{ $labels.service }} burns its error budget {{ humanize $value }}x too fast',
        description: `At this rate the ${budget} monthly error budget of {{ $labels.service }} is gone in about two days.`,
        // The availability objective behind the budget: the console colours availability below it.
        objective: String(options.sloObjective),
      },
      enabled: true,
    },
    {
      id: 'rul_builtinErrorBudgetBurnSlow',
      name: 'ErrorBudgetBurnSlow',
      expr: burn('6h', '30m', 6),
      for: '15m',
      keepFiringFor: '0s',
      severity: 'warning',
      labels: { slo: 'availability' },
      annotations: {
        summary: '{{ $labels.service }} burns its error budget {{ humanize $value }}x too fast',
        description: `At this rate the ${budget} monthly error budget of {{ $labels.service }} is gone in five days.`,
        objective: String(options.sloObjective),
      },
      enabled: true,
    },
  ];
}
