import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager-payload.js';

/** An Alertmanager v4 webhook body shaped like a real one, for tests. */
export function alertmanagerPayload(
  alerts: Partial<AlertmanagerAlert>[],
  overrides: Partial<AlertmanagerPayload> = {},
): AlertmanagerPayload {
  const full = alerts.map((a, i) => ({
    status: 'firing' as const,
    labels: { alertname: 'HighLatency', severity: 'critical', service: 'ml-service', ...a.labels },
    annotations: { summary: `p99 latency above 500ms (${i})`, ...a.annotations },
    startsAt: '2026-11-26T03:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:8083/alerts/rules/HighLatency',
    fingerprint: `f${i}`,
    ...a,
  }));
  return {
    version: '4',
    groupKey: '{}:{alertname="HighLatency"}',
    truncatedAlerts: 0,
    status: full.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'chatops',
    groupLabels: { alertname: 'HighLatency' },
    commonLabels: { alertname: 'HighLatency' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: full,
    ...overrides,
  };
}
