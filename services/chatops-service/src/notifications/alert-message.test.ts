import { describe, expect, it } from 'vitest';
import { formatAlertGroup } from './alert-message.js';
import { alertmanagerPayload } from './fixtures.js';

describe('formatAlertGroup', () => {
  it('shows status, count, severity, service, summary and links', () => {
    const payload = alertmanagerPayload([
      { annotations: { summary: 'p99 above 500ms', runbook_url: 'https://runbooks.example/latency' } },
      { labels: { alertname: 'HighLatency', severity: 'critical', service: 'auth-service' } },
    ]);
    const message = formatAlertGroup(payload, payload.alerts);
    const json = JSON.stringify(message.blocks);
    expect(message.text).toContain('FIRING: HighLatency (2 firing)');
    expect(message.text).toContain('p99 above 500ms');
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    expect(json).toContain('`critical`');
    expect(json).toContain('ml-service');
    expect(json).toContain('auth-service');
    expect(json).toContain('<https://runbooks.example/latency|runbook>');
    expect(json).toContain('<http://127.0.0.1:8083/alerts/rules/HighLatency|source>');
    expect(json).toContain('since 2026-11-26 03:00 UTC');
    expect(json).toContain('<http://127.0.0.1:9093|Alertmanager>');
  });

  it('says resolved when every alert is resolved', () => {
    const payload = alertmanagerPayload([{ status: 'resolved', endsAt: '2026-11-26T03:20:00Z' }]);
    const message = formatAlertGroup(payload, payload.alerts);
    expect(message.text).toMatch(/^:white_check_mark: RESOLVED: HighLatency \(1 resolved\)/);
    expect(JSON.stringify(message.blocks)).toContain('resolved 2026-11-26 03:20 UTC');
  });

  it('escapes label text and caps long groups', () => {
    const many = Array.from({ length: 25 }, () => ({ annotations: { summary: '<script> & co' } }));
    const payload = alertmanagerPayload(many, { truncatedAlerts: 5 });
    const message = formatAlertGroup(payload, payload.alerts);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('&lt;script&gt; &amp; co');
    expect(json).toContain('and 10 more alert(s)');
    expect(message.blocks.filter((b) => b.type === 'section')).toHaveLength(20);
  });

  it('escapes names and summaries in the notification text as well', () => {
    const payload = alertmanagerPayload([
      { labels: { alertname: 'A<B>' }, annotations: { summary: 'p99 > 500ms & rising <!here>' } },
    ]);
    const message = formatAlertGroup(payload, payload.alerts);
    expect(message.text).toContain('FIRING: A&lt;B&gt;');
    expect(message.text).toContain('p99 &gt; 500ms &amp; rising &lt;!here&gt;');
    expect(message.text).not.toContain('<!here>');
  });

  it('ignores links that are not http(s)', () => {
    const payload = alertmanagerPayload([{ generatorURL: 'javascript:alert(1)' }]);
    expect(JSON.stringify(formatAlertGroup(payload, payload.alerts).blocks)).not.toContain('javascript:');
  });
});
