import { expect, describe as group, it } from 'vitest';
import { describe, stateOf, thresholdsFrom } from './thresholds.js';

const rule = (name, severity, expr, threshold, annotations, extra = {}) => ({
  name,
  enabled: true,
  severity,
  expr,
  threshold,
  annotations,
  labels: {},
  ...extra,
});
const rules = [
  rule('HighErrorRatio', 'critical', 'ratio > 0.05', { op: '>', value: 0.05 }, { signal: 'error_ratio' }),
  rule('HighLatencyP99', 'warning', 'p99 > 1', { op: '>', value: 1 }, { signal: 'latency_p99' }),
  rule(
    'MlSlow',
    'critical',
    'p99 > 3',
    { op: '>', value: 3 },
    { signal: 'latency_p99' },
    { labels: { service: 'ml-service' } },
  ),
  rule('Off', 'critical', 'rate > 0', { op: '>', value: 0 }, { signal: 'request_rate' }, { enabled: false }),
  rule('Unmarked', 'critical', 'rate > 0', { op: '>', value: 0 }, {}),
  rule('BurnFast', 'critical', 'a > 14.4 and b > 14.4', { op: '>', value: 14.4 }, { objective: '0.999' }),
  rule('BurnSlow', 'warning', 'a > 6 and b > 6', { op: '>', value: 6 }, { objective: '0.999' }),
];

group('thresholds from rules', () => {
  const t = thresholdsFrom(rules);

  it('colours availability below the SLO and p99 above the latency rule', () => {
    expect(stateOf(t, 'availability', 'auth-service', 0.6)).toBe('critical');
    expect(stateOf(t, 'availability', 'auth-service', 0.9995)).toBe('ok');
    expect(stateOf(t, 'latency_p99', 'auth-service', 4.8)).toBe('warning');
    expect(stateOf(t, 'latency_p99', 'ml-service', 4.8)).toBe('critical');
    expect(stateOf(t, 'latency_p99', 'auth-service', 0.2)).toBe('ok');
    expect(stateOf(t, 'error_ratio', 'x', 0.2)).toBe('critical');
  });

  it('leaves disabled rules out, says none without data, and explains each threshold', () => {
    expect(stateOf(t, 'request_rate', 'x', 5)).toBe('ok');
    expect(stateOf(t, 'latency_p99', 'x', null)).toBe('none');
    expect(t.availability).toHaveLength(1);
    expect(describe(t, 'latency_p99', 'ml-service')).toEqual([
      'warning above 1 s (HighLatencyP99)',
      'critical above 3 s (MlSlow)',
    ]);
    expect(describe(t, 'availability', 'x')).toEqual(['critical below 99.9% (SLO 99.9%)']);
  });
});
