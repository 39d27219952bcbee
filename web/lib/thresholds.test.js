import { expect, describe as group, it } from 'vitest';
import { describe, stateOf, thresholdsFrom } from './thresholds.js';

const rules = [
  {
    name: 'HighErrorRatio',
    enabled: true,
    op: '>',
    threshold: 0.05,
    severity: 'critical',
    expr: { kind: 'signal', signal: 'error_ratio' },
  },
  {
    name: 'HighLatencyP99',
    enabled: true,
    op: '>',
    threshold: 1,
    severity: 'warning',
    expr: { kind: 'signal', signal: 'latency_p99' },
  },
  {
    name: 'MlSlow',
    enabled: true,
    op: '>',
    threshold: 3,
    severity: 'critical',
    expr: { kind: 'signal', signal: 'latency_p99', service: 'ml-service' },
  },
  {
    name: 'Off',
    enabled: false,
    op: '>',
    threshold: 0,
    severity: 'critical',
    expr: { kind: 'signal', signal: 'request_rate' },
  },
  {
    name: 'BurnFast',
    enabled: true,
    op: '>',
    threshold: 14.4,
    severity: 'critical',
    expr: { kind: 'burn_rate', objective: 0.999 },
  },
  {
    name: 'BurnSlow',
    enabled: true,
    op: '>',
    threshold: 6,
    severity: 'warning',
    expr: { kind: 'burn_rate', objective: 0.999 },
  },
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
