import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerPayload } from '../src/notifications/fixtures.js';
import { FakeSlack } from './fake-slack.js';
import { signed, slashCommand } from './helpers/slack-request.js';
import { type ChatopsTestApp, NOTIFY_TOKEN, send, startChatops } from './helpers/test-app.js';

/**
 * Two ChatOps replicas over one PostgreSQL: a retry, a confirmation or a repeated notification
 * lands on whichever replica the balancer picks, and is handled as if one replica got them all.
 */

const [, postgres] = await testDatabaseTargets();

describe.skipIf(postgres!.skipReason)('two ChatOps replicas over one PostgreSQL', () => {
  let identity: TestIdentity;
  let database: TestDatabase;
  let slack: FakeSlack;
  let a: ChatopsTestApp;
  let b: ChatopsTestApp;
  let operator: string;

  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await postgres!.create();
    slack = await new FakeSlack().start();
    const env = {
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_ALERT_CHANNEL: '#alerts',
    };
    const roles = { usr_ops: ['operator'] };
    a = await startChatops({ identity, database, env, roles });
    b = await startChatops({ identity, database, env, roles });
    operator = await identity.token({ sub: 'usr_ops', roles: ['operator'] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await slack?.close();
    await database?.drop();
    await identity?.close();
  });

  const say = (t: ChatopsTestApp, text: string) =>
    send(t, 'POST', '/messages', { token: operator, body: { text } });
  const slackPost = (t: ChatopsTestApp, url: string, req: ReturnType<typeof signed>) =>
    send(t, 'POST', url, { body: req.body, headers: req.headers });

  it('confirms on one replica a change asked on the other, once', async () => {
    const asked = await say(a, 'silence ServiceDown for two hours because deploy in progress');
    expect(asked.json.run.outcome).toBe('needs_confirmation');
    const code = asked.json.confirmation.code as string;
    // The monitoring service is down in this test: reaching it proves B found the pending change.
    const confirmed = await say(b, `confirm ${code}`);
    expect(confirmed.json.run.outcome).toBe('upstream_unavailable');
    expect(confirmed.json.run.intent).toBe('alerts.silence');
    const again = await say(a, `confirm ${code}`);
    expect(again.json.run.outcome).toBe('failed');
  });

  it('runs a Slack event once when Slack retries it to the other replica', async () => {
    // Link the Slack user through A, then mention the bot: the first delivery lands on A...
    const linkCode = await send(a, 'POST', '/links/codes', { token: operator });
    const link = await slackPost(
      b,
      '/slack/commands',
      signed(slashCommand(`link ${linkCode.json.code}`, 'U_REPLICA'), 'application/x-www-form-urlencoded'),
    );
    expect(link.json.text).toContain('Linked');
    const event = {
      type: 'event_callback',
      team_id: 'T100',
      event_id: 'EvReplica1',
      event: {
        type: 'app_mention',
        user: 'U_REPLICA',
        text: '<@UBOT> who am i',
        channel: 'C900',
        ts: '1700000001.000100',
      },
    };
    const first = await slackPost(a, '/slack/events', signed(JSON.stringify(event), 'application/json'));
    expect(first.json).toEqual({ ok: true });
    // ...and Slack's retry, signed anew, on B.
    const retry = await slackPost(
      b,
      '/slack/events',
      signed(JSON.stringify(event), 'application/json', {
        timestamp: Math.floor(Date.now() / 1000) + 1,
        extra: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    );
    expect(retry.json).toEqual({ ok: true, duplicate: true });
    await a.tasks.idle();
    await b.tasks.idle();
    expect(slack.to('/api/chat.postMessage').filter((p) => p.body['channel'] === 'C900')).toHaveLength(1);
  });

  it('refuses on one replica a signed request replayed from the other', async () => {
    const once = signed(slashCommand('whoami', 'U_REPLAY2'), 'application/x-www-form-urlencoded');
    expect((await slackPost(a, '/slack/commands', once)).status).toBe(200);
    const replayed = await slackPost(b, '/slack/commands', once);
    expect(replayed.status).toBe(401);
    expect(replayed.json.detail).toContain('already received');
  });

  it('posts a notification resent to the other replica once (Idempotency-Key)', async () => {
    const payload = alertmanagerPayload(
      [{ labels: { alertname: 'ReplicaProbe', severity: 'warning', service: 'ml-service' } }],
      {
        groupKey: 'replica-probe',
      },
    );
    const headers = { 'idempotency-key': 'ntf_replica_probe_1' };
    const first = await send(a, 'POST', '/notifications/alertmanager', {
      token: NOTIFY_TOKEN,
      body: payload,
      headers,
    });
    expect(first.status).toBe(200);
    expect(first.json.deliveries).toEqual([expect.objectContaining({ ok: true })]);
    const resent = await send(b, 'POST', '/notifications/alertmanager', {
      token: NOTIFY_TOKEN,
      body: payload,
      headers,
    });
    expect(resent.status).toBe(200);
    expect(resent.headers['idempotent-replayed']).toBe('true');
    expect(resent.json).toEqual(first.json);
    const posts = slack
      .to('/api/chat.postMessage')
      .filter((p) => JSON.stringify(p.body).includes('ReplicaProbe'));
    expect(posts).toHaveLength(1);
    // A new notification of the same group (another key) is posted, in its thread.
    const next = await send(b, 'POST', '/notifications/alertmanager', {
      token: NOTIFY_TOKEN,
      body: payload,
      headers: { 'idempotency-key': 'ntf_replica_probe_2' },
    });
    expect(next.json.deliveries).toEqual([expect.objectContaining({ ok: true, threaded: true })]);
  });
});
