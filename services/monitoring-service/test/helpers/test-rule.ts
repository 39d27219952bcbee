import type { AlertRule, RuleSpec } from '../../src/services/alerting/rule-model.js';

/** A full rule from a partial spec, for tests. */
export function testRule(spec: Partial<RuleSpec> & { id?: string } = {}): AlertRule {
  return {
    id: spec.id ?? 'rul_test',
    name: 'TestAlert',
    expr: 'm > 1',
    for: '1m',
    keepFiringFor: '0s',
    severity: 'warning',
    labels: {},
    annotations: { summary: '{{ $labels.service }} at {{ $value }}' },
    enabled: true,
    builtin: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...spec,
  };
}
