import type { RuleSpec } from './rule-model.js';

export interface DefaultRuleOptions {
  /** Availability objective of every service, e.g. 0.999. */
  sloObjective: number;
}

/**
 * The rule pack installed on first start: a service down, a high error ratio, a high p99
 * latency, and the SRE workbook's multi-window burn-rate alerts for the availability SLO
 * (14.4x over 1h and 5m pages: 2% of a 30-day budget in an hour; 6x over 6h and 30m: 5% in
 * six hours).
 */
export function defaultRules(options: DefaultRuleOptions): Array<RuleSpec & { id: string }> {
  const budget = `${Number(((1 - options.sloObjective) * 100).toPrecision(6))}%`;
  return [
    {
      id: 'rul_builtinServiceDown',
      name: 'ServiceDown',
      expr: { kind: 'series', selector: 'up', function: 'value' },
      op: '==',
      threshold: 0,
      // Short, so a stopped service is seen firing within a minute at the default intervals.
      for: '20s',
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
      expr: { kind: 'signal', signal: 'error_ratio', window: '5m' },
      op: '>',
      threshold: 0.05,
      for: '2m',
      severity: 'critical',
      labels: {},
      annotations: {
        summary: '{{ $labels.service }} fails {{ humanizePercentage $value }} of requests',
        description:
          'More than 5% of requests to {{ $labels.service }} ended in a 5xx over the last 5 minutes.',
      },
      enabled: true,
    },
    {
      id: 'rul_builtinHighLatencyP99',
      name: 'HighLatencyP99',
      expr: { kind: 'signal', signal: 'latency_p99', window: '5m' },
      op: '>',
      threshold: 1,
      for: '5m',
      severity: 'warning',
      labels: {},
      annotations: {
        summary: '{{ $labels.service }} p99 latency is {{ humanizeDuration $value }}',
        description: 'The 99th percentile of request latency of {{ $labels.service }} is above 1s.',
      },
      enabled: true,
    },
    {
      id: 'rul_builtinErrorBudgetBurnFast',
      name: 'ErrorBudgetBurnFast',
      expr: { kind: 'burn_rate', objective: options.sloObjective, longWindow: '1h', shortWindow: '5m' },
      op: '>',
      threshold: 14.4,
      for: '2m',
      severity: 'critical',
      labels: { slo: 'availability' },
      annotations: {
        summary: '{{ $labels.service }} burns its error budget {{ humanize $value }}x too fast',
        description: `At this rate the ${budget} monthly error budget of {{ $labels.service }} is gone in about two days.`,
      },
      enabled: true,
    },
    {
      id: 'rul_builtinErrorBudgetBurnSlow',
      name: 'ErrorBudgetBurnSlow',
      expr: { kind: 'burn_rate', objective: options.sloObjective, longWindow: '6h', shortWindow: '30m' },
      op: '>',
      threshold: 6,
      for: '15m',
      severity: 'warning',
      labels: { slo: 'availability' },
      annotations: {
        summary: '{{ $labels.service }} burns its error budget {{ humanize $value }}x too fast',
        description: `At this rate the ${budget} monthly error budget of {{ $labels.service }} is gone in five days.`,
      },
      enabled: true,
    },
  ];
}
