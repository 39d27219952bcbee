import {
  createTestIdentity,
  runAuthMatrix,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../src/notifications/fixtures.js';
import { FakeSlack } from './fake-slack.js';
import { type ChatopsTestApp, NOTIFY_TOKEN, send, startChatops } from './helpers/test-app.js';

const identity: TestIdentity = await createTestIdentity();
const [pglite] = await testDatabaseTargets();
let t: ChatopsTestApp;
let slack: FakeSlack;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  t = await startChatops({
    identity,
    database: await pglite!.create(),
    env: {
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_ALERT_CHANNEL: '#alerts',
      SLACK_ALERT_ROUTES: 'severity=critical:#pager;service=ml-service:#ml',
    },
  });
});
afterAll(async () => {
  await t?.close();
  await slack?.close();
  await identity.close();
});

const notify = (token: string | undefined, body: unknown) =>
  send(t, 'POST', '/notifications/alertmanager', { ...(token ? { token } : {}), body: body as object });

describe('shared auth matrix', () => {
  it('checks credentials before parameters, query and body on every guarded route', async () => {
    const { checked, failures } = await runAuthMatrix({
      app: t.app,
      token: (roles) => identity.token({ roles }),
    });
    expect(checked).toContain('POST /notifications/alertmanager');
    expect(checked).toContain('POST /messages');
    expect(failures).toEqual([]);
  });
});

describe('POST /notifications/alertmanager', () => {
  it('accepts the notify token or a service account, refuses others', async () => {
    const payload = alertmanagerPayload(
      [{ labels: { alertname: 'Probe', severity: 'info', service: 'gateway' } }],
      {
        groupKey: 'auth-check',
      },
    );
    expect((await notify(undefined, payload)).status).toBe(401);
    expect((await notify('wrong-token-value-xyz', payload)).status).toBe(401);
    const viewer = await identity.token({ sub: 'usr_v', roles: ['viewer'] });
    const forbidden = await notify(viewer, payload);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.code).toBe('CHATOPS_NOTIFY_FORBIDDEN');
    expect((await notify(NOTIFY_TOKEN, payload)).status).toBe(200);
    const service = await identity.token({ sub: 'svc_monitoring', roles: ['service'] });
    expect((await notify(service, payload)).status).toBe(200);
  });

  it('rejects payloads that are not Alertmanager v4 with a 400 problem', async () => {
    const good = alertmanagerPayload([{}]);
    for (const bad of [
      {},
      { ...good, version: '3' },
      { ...good, alerts: [] },
      { ...good, alerts: [{ status: 'odd' }] },
    ]) {
      const res = await notify(NOTIFY_TOKEN, bad);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('routes per severity and label, then threads the resolution', async () => {
    const groupKey = '{}:{alertname="HighLatencyP99"}';
    const firing = alertmanagerPayload(
      [
        { labels: { alertname: 'HighLatencyP99', severity: 'critical', service: 'auth-service' } },
        { labels: { alertname: 'HighLatencyP99', severity: 'warning', service: 'ml-service' } },
        { labels: { alertname: 'HighLatencyP99', severity: 'warning', service: 'gateway' } },
      ],
      { groupKey },
    );
    const res = await notify(NOTIFY_TOKEN, firing);
    expect(res.status).toBe(200);
    expect(res.json.deliveries.map((d: { channel: string }) => d.channel)).toEqual([
      '#pager',
      '#ml',
      '#alerts',
    ]);
    const posted = slack.to('/api/chat.postMessage').slice(-3);
    expect(posted.map((p) => p.body['channel'])).toEqual(['#pager', '#ml', '#alerts']);
    expect(JSON.stringify(posted[0]!.body['blocks'])).toContain('auth-service');

    const resolved = alertmanagerPayload(
      [
        {
          status: 'resolved',
          labels: { alertname: 'HighLatencyP99', severity: 'critical', service: 'auth-service' },
        },
      ],
      { groupKey, status: 'resolved' },
    );
    const second = await notify(NOTIFY_TOKEN, resolved);
    expect(second.json.deliveries).toEqual([{ channel: '#pager', alerts: 1, ok: true, threaded: true }]);
    const update = slack.to('/api/chat.update').at(-1)!;
    expect(update.body['channel']).toBe('CPAGER');
    expect(update.body['text']).toContain('RESOLVED');
    const reply = slack.to('/api/chat.postMessage').at(-1)!;
    expect(reply.body['thread_ts']).toBe(update.body['ts']);
  });
});
