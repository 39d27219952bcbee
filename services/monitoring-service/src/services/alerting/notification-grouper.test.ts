import { describe, expect, it } from 'vitest';
import type { Alert } from './alert-state.js';
import { NotificationGrouper } from './notification-grouper.js';
import { buildWebhookPayload } from './webhook-payload.js';

const S = 1000;
const options = {
  groupBy: ['alertname'],
  groupWaitMs: 30 * S,
  groupIntervalMs: 300 * S,
  repeatIntervalMs: 3600 * S,
};

function alert(fp: string, state: Alert['state'], labels: Record<string, string> = {}): Alert {
  return {
    fingerprint: fp,
    ruleId: 'rul_x',
    labels: { alertname: 'Down', service: fp, ...labels },
    annotations: { summary: `${fp} down` },
    state,
    value: 0,
    activeAt: 0,
    firedAt: 0,
    resolvedAt: state === 'resolved' ? 1 : null,
    lastEvalAt: 0,
    acknowledgedBy: null,
    acknowledgedAt: null,
  };
}

describe('NotificationGrouper', () => {
  it('waits group_wait, batching alerts that arrive meanwhile', () => {
    const g = new NotificationGrouper(options);
    expect(g.flush([alert('a', 'firing')], 0)).toEqual([]);
    expect(g.flush([alert('a', 'firing'), alert('b', 'firing')], 10 * S)).toEqual([]);
    const [n] = g.flush([alert('a', 'firing'), alert('b', 'firing')], 30 * S);
    expect(n!.alerts.map((a) => a.fingerprint)).toEqual(['a', 'b']);
    expect(n!.groupKey).toBe('{}:{alertname="Down"}');
    expect(n!.status).toBe('firing');
  });

  it('notifies changes no sooner than group_interval and repeats after repeat_interval', () => {
    const g = new NotificationGrouper(options);
    g.flush([alert('a', 'firing')], 0);
    expect(g.flush([alert('a', 'firing')], 30 * S)).toHaveLength(1);
    // A new alert joins: not before group_interval after the last flush.
    expect(g.flush([alert('a', 'firing'), alert('b', 'firing')], 100 * S)).toEqual([]);
    expect(g.flush([alert('a', 'firing'), alert('b', 'firing')], 330 * S)).toHaveLength(1);
    // Nothing changes: silence until repeat_interval since the last notification.
    for (let t = 630; t < 3930; t += 300)
      expect(g.flush([alert('a', 'firing'), alert('b', 'firing')], t * S)).toEqual([]);
    const [repeat] = g.flush([alert('a', 'firing'), alert('b', 'firing')], 3930 * S);
    expect(repeat!.alerts).toHaveLength(2);
  });

  it('notifies a resolution once, and a group whose alerts all resolved says resolved', () => {
    const g = new NotificationGrouper(options);
    g.flush([alert('a', 'firing')], 0);
    g.flush([alert('a', 'firing')], 30 * S);
    const [n] = g.flush([alert('a', 'resolved')], 330 * S);
    expect(n!.status).toBe('resolved');
    expect(n!.alerts.map((a) => a.state)).toEqual(['resolved']);
    expect(g.flush([alert('a', 'resolved')], 630 * S)).toEqual([]);
    expect(g.flush([], 930 * S)).toEqual([]);
    expect(g.snapshot()).toEqual([]);
  });

  it('does not notify an alert that fired and resolved within group_wait', () => {
    const g = new NotificationGrouper(options);
    g.flush([alert('a', 'firing')], 0);
    expect(g.flush([alert('a', 'resolved')], 30 * S)).toEqual([]);
  });

  it('splits groups by the group_by labels', () => {
    const g = new NotificationGrouper({ ...options, groupBy: ['alertname', 'service'] });
    g.flush([alert('a', 'firing'), alert('b', 'firing')], 0);
    expect(g.flush([alert('a', 'firing'), alert('b', 'firing')], 30 * S)).toHaveLength(2);
  });

  it('survives a restart through snapshot/restore without notifying twice', () => {
    const g = new NotificationGrouper(options);
    g.flush([alert('a', 'firing')], 0);
    g.flush([alert('a', 'firing')], 30 * S);
    const again = new NotificationGrouper(options);
    again.restore(JSON.parse(JSON.stringify(g.snapshot())));
    expect(again.flush([alert('a', 'firing')], 400 * S)).toEqual([]);
    expect(again.flush([alert('a', 'resolved')], 800 * S)).toHaveLength(1);
  });

  it('builds an Alertmanager v4 webhook payload', () => {
    const g = new NotificationGrouper(options);
    g.flush([alert('a', 'firing')], 0);
    const [n] = g.flush([alert('a', 'firing', { team: 'x' }), alert('b', 'firing', { team: 'x' })], 30 * S);
    const p = buildWebhookPayload(n!, 'chatops', 'http://127.0.0.1:8083');
    expect(p).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'chatops',
      groupKey: '{}:{alertname="Down"}',
      groupLabels: { alertname: 'Down' },
      commonLabels: { alertname: 'Down', team: 'x' },
      commonAnnotations: {},
      truncatedAlerts: 0,
    });
    expect(p.alerts[0]).toMatchObject({
      status: 'firing',
      startsAt: '1970-01-01T00:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: 'a',
    });
  });
});
