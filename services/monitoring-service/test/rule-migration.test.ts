import { describe, expect, it } from 'vitest';
import { fromJson } from '../src/models/db.js';
import { ingestExposition } from '../src/services/metrics/ingest.js';
import { buildHarness, memoryDatabase, testClock } from './helpers/harness.js';

/** Rules stored before rules were PromQL: read as PromQL, rewritten at start, evaluated the same. */
describe('rules stored in the earlier shape', () => {
  it('are rewritten in PromQL at start and keep alerting as before', async () => {
    const database = await memoryDatabase();
    const legacy = (id: string, spec: object) => ({
      id,
      name: (spec as { name: string }).name,
      spec: JSON.stringify(spec),
      builtin: false,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    const common = {
      for: '0s',
      severity: 'critical',
      labels: {},
      annotations: { summary: '{{ $labels.service }} down' },
      enabled: true,
    };
    await database.db
      .insertInto('monitoring_rules')
      .values([
        legacy('rul_olddown', {
          ...common,
          name: 'OldDown',
          expr: { kind: 'series', selector: 'up', function: 'value' },
          op: '==',
          threshold: 0,
        }),
        legacy('rul_oldlatency', {
          ...common,
          name: 'OldLatency',
          expr: { kind: 'signal', signal: 'latency_p99', window: '5m', service: 'api-service' },
          op: '>',
          threshold: 1,
        }),
      ])
      .execute();
    const clock = testClock();
    const h = await buildHarness({
      services: { 'api-service': ['http://127.0.0.1:9'] },
      database,
      now: clock.now,
    });
    try {
      const rows = await database.db.selectFrom('monitoring_rules').select(['id', 'spec']).execute();
      const specs = Object.fromEntries(
        rows.map((r) => [r.id, fromJson<{ expr: unknown; keepFiringFor: string }>(r.spec)]),
      );
      expect(specs['rul_olddown']).toMatchObject({ expr: '{__name__="up"} == 0', keepFiringFor: '0s' });
      expect(specs['rul_oldlatency']!.expr).toBe(
        'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="api-service"}[5m]))) > 1',
      );
      ingestExposition(
        h.runtime.store,
        'api',
        { service: 'api-service', instance: '127.0.0.1:9' },
        '',
        clock.now(),
        [['up', 0]],
      );
      await h.runtime.alerts.evaluate();
      const alerts = await h.runtime.alerts.list({});
      expect(alerts.find((a) => a.labels['alertname'] === 'OldDown')).toMatchObject({
        state: 'firing',
        labels: { service: 'api-service', instance: '127.0.0.1:9', severity: 'critical' },
        annotations: { summary: 'api-service down' },
      });
    } finally {
      await h.close();
    }
  });
});
