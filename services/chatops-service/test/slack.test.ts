import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestIdentity, type TestIdentity, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack, slackMessageFaults } from './fake-slack.js';
import { signed, slashCommand } from './helpers/slack-request.js';
import { type ChatopsTestApp, send, startChatops } from './helpers/test-app.js';

const identity: TestIdentity = await createTestIdentity();
const [pglite] = await testDatabaseTargets();

// A service that accepts connections and never answers: what a hung upstream looks like.
const hung: Server = createServer(() => {});
await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
const HUNG = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;

let t: ChatopsTestApp;
let slack: FakeSlack;
let viewerToken: string;
let adminToken: string;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  t = await startChatops({
    identity,
    database: await pglite!.create(),
    services: { 'monitoring-service': [HUNG] },
    roles: { usr_ops: ['operator'] },
    env: {
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_INLINE_BUDGET_MS: '300',
      // The fake Slack listens on loopback; only Slack's own HTTPS hosts are allowed by default.
      SLACK_RESPONSE_URL_ALLOW: 'http://127.0.0.1:*',
    },
  });
  viewerToken = await identity.token({ sub: 'usr_ops', roles: ['operator'] });
  adminToken = await identity.token({ sub: 'usr_admin', roles: ['admin'] });
});
afterAll(async () => {
  await t?.close();
  await slack?.close();
  await identity.close();
  hung.closeAllConnections();
  await new Promise((r) => hung.close(r));
});

/** Posts as Slack does; every answer with text is checked as Slack would read it. */
async function post(url: string, req: ReturnType<typeof signed>) {
  const res = await send(t, 'POST', url, { body: req.body, headers: req.headers });
  if (res.status === 200 && typeof res.json?.text === 'string')
    expect(slackMessageFaults(res.json)).toEqual([]);
  return res;
}

async function runCount(): Promise<number> {
  const res = await send(t, 'GET', '/runs?limit=200', { token: adminToken });
  return res.json.items.length;
}

async function linkUser(userId: string): Promise<void> {
  const code = await send(t, 'POST', '/links/codes', { token: viewerToken });
  const res = await post(
    '/slack/commands',
    signed(slashCommand(`link ${code.json.code}`, userId), 'application/x-www-form-urlencoded'),
  );
  expect(res.json.text).toContain('Linked');
}

describe('Slack request verification', () => {
  it('rejects forged, stale, replayed and unsigned requests with 401 and runs nothing', async () => {
    const before = await runCount();
    const body = slashCommand('help');
    const forged = signed(body, 'application/x-www-form-urlencoded', { secret: 'not-the-secret-at-all' });
    const stale = signed(body, 'application/x-www-form-urlencoded', {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const tampered = signed(body, 'application/x-www-form-urlencoded');
    tampered.body = body.replace('help', 'alerts');
    for (const req of [forged, stale, tampered]) {
      const res = await post('/slack/commands', req);
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('CHATOPS_SLACK_SIGNATURE_INVALID');
    }
    const once = signed(slashCommand('whoami', 'U_REPLAY'), 'application/x-www-form-urlencoded');
    expect((await post('/slack/commands', once)).status).toBe(200);
    const replayed = await post('/slack/commands', once);
    expect(replayed.status).toBe(401);
    expect(replayed.json.detail).toContain('already received');
    const unsigned = await send(t, 'POST', '/slack/events', {
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    // Only the one genuine request ran.
    expect(await runCount()).toBe(before + 1);
  });

  it('answers the url_verification challenge', async () => {
    const res = await post(
      '/slack/events',
      signed(JSON.stringify({ type: 'url_verification', challenge: 'abc123' }), 'application/json'),
    );
    expect(res.json).toEqual({ challenge: 'abc123' });
  });

  it('rejects a signed but malformed payload with 400', async () => {
    const res = await post('/slack/events', signed('{not json', 'application/json'));
    expect(res.status).toBe(400);
    const noUser = await post('/slack/commands', signed('text=help', 'application/x-www-form-urlencoded'));
    expect(noUser.status).toBe(400);
  });
});

describe('Slack bodies that are not UTF-8', () => {
  it('refuses a signed body that is not UTF-8, or a command whose escapes are not, with 400 naming the fault', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"type":"url_verification","challenge":"a'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const event = await post('/slack/events', signed(bytes, 'application/json'));
    expect(event.status).toBe(400);
    expect(event.json).toMatchObject({ code: 'INVALID_UTF8' });
    expect(event.json.detail).toMatch(/offset 41\b/);
    const before = await runCount();
    const command = await post(
      '/slack/commands',
      signed(slashCommand('help').replace('text=help', 'text=he%FFlp'), 'application/x-www-form-urlencoded'),
    );
    expect(command.status).toBe(400);
    expect(command.json.detail).toMatch(/form field "text" has percent-escapes that do not decode to UTF-8/);
    expect(await runCount()).toBe(before);
  });
});

describe('slash commands', () => {
  it('tells an unlinked user how to link and runs nothing else for them', async () => {
    const res = await post(
      '/slack/commands',
      signed(slashCommand('alerts', 'U_STRANGER'), 'application/x-www-form-urlencoded'),
    );
    expect(res.status).toBe(200);
    expect(res.json.response_type).toBe('ephemeral');
    expect(res.json.text).toContain('link your account');
    const help = await post(
      '/slack/commands',
      signed(slashCommand('help', 'U_STRANGER'), 'application/x-www-form-urlencoded'),
    );
    expect(help.json.text).toContain('metrics &lt;service&gt;');
  });

  it('answers any message, however long or odd, at once with a short reply', async () => {
    await linkUser('U_ODD');
    const cases = [
      'a-'.repeat(20_000),
      `\`\`\`\n${'SELECT a, b FROM t WHERE x = 1;\n'.repeat(330)}\`\`\``,
      `${' '.repeat(39_999)}x`,
      '#1'.repeat(999),
      '\u0000\u0001\u0007\u001b[31mstatus gateway\u0008\u007f',
      '🔥🙏👍😅'.repeat(50),
      'سلام عليكم \u202Ehelp\u202C',
      '\u0301\u0302\u0303'.repeat(600),
    ];
    for (const text of cases) {
      const started = performance.now();
      const res = await post(
        '/slack/commands',
        signed(slashCommand(text, 'U_ODD'), 'application/x-www-form-urlencoded'),
      );
      const label = `${text.length} chars: ${JSON.stringify(text.slice(0, 24))}`;
      expect(res.status, label).toBe(200);
      expect(res.json.text.length, label).toBeLessThan(1500);
      expect(performance.now() - started, label).toBeLessThan(3_000);
      if (text.length > 2000) expect(res.json.text, label).toContain('up to 2,000');
    }
  });

  it('links with a one-time code, then acts with the linked user’s rights', async () => {
    await linkUser('U_OPS');
    const who = await post(
      '/slack/commands',
      signed(slashCommand('whoami', 'U_OPS'), 'application/x-www-form-urlencoded'),
    );
    expect(who.json.text).toContain('usr_ops');
    expect(who.json.text).toContain('operator');
    expect(who.json.text).toContain('slack:T100:U_OPS');
  });

  it('refuses a used or unknown link code', async () => {
    const res = await post(
      '/slack/commands',
      signed(slashCommand('link ZZZZ-9999', 'U_NEW'), 'application/x-www-form-urlencoded'),
    );
    expect(res.json.text).toContain('unknown, used or expired');
  });

  it('answers within the budget and finishes slow work through response_url', async () => {
    await linkUser('U_SLOW');
    const started = Date.now();
    const res = await post(
      '/slack/commands',
      signed(
        slashCommand('alerts', 'U_SLOW', slack.hookUrl('response/1')),
        'application/x-www-form-urlencoded',
      ),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.json.text).toContain('Working on it');
    const [late] = await slack.waitFor('/hooks/response/1', 1, 10_000);
    expect(late!.body['text']).toMatch(/monitoring service did not answer in time/i);
  });
});

describe('text as Slack reads it', () => {
  it('escapes usages and a person’s own <, > and & in what it sends, by any way out', async () => {
    await linkUser('U_ESC');
    const help = await post(
      '/slack/commands',
      signed(slashCommand('help', 'U_ESC'), 'application/x-www-form-urlencoded'),
    );
    expect(help.json.text).toContain('`alerts ack &lt;alert id | name&gt; [because ...]`');
    const say = (text: string) =>
      post('/slack/commands', signed(slashCommand(text, 'U_ESC'), 'application/x-www-form-urlencoded'));
    const first = await say('alerts silence ServiceDown 2h because a<b & c>d');
    const second = await say('alerts silence HighErrorRatio 1h because <!here> wake up');
    expect(first.json.blocks.some((b: { type: string }) => b.type === 'actions')).toBe(true);
    // Two changes wait; a bare "yes" (here a direct message, answered through chat.postMessage,
    // which the fake Slack checks too) lists them with what was said, escaped.
    const dm = {
      type: 'event_callback',
      team_id: 'T100',
      event_id: 'Ev0100',
      event: { type: 'message', channel_type: 'im', user: 'U_ESC', text: 'yes', channel: 'D900', ts: '1.3' },
    };
    await post('/slack/events', signed(JSON.stringify(dm), 'application/json'));
    await t.tasks.idle();
    const [sent] = slack.to('/api/chat.postMessage').filter((p) => p.body['channel'] === 'D900');
    expect(sent!.body['text']).toContain('because a&lt;b &amp; c&gt;d');
    expect(sent!.body['text']).toContain('&lt;!here&gt; wake up');
    expect(JSON.stringify(sent!.body['blocks'])).toContain('because a&lt;b &amp; c&gt;d');
    expect(JSON.stringify(sent!.body)).not.toContain('<!here>');
    expect(slack.faults).toEqual([]);
    for (const code of [first, second].map(
      (r) => r.json.blocks.find((b: { type: string }) => b.type === 'actions').elements[0].value,
    ))
      await say(`cancel ${code}`);
  });
});

describe('Events API', () => {
  it('runs an app mention once even when Slack retries it', async () => {
    await linkUser('U_MENTION');
    const event = {
      type: 'event_callback',
      team_id: 'T100',
      event_id: 'Ev0001',
      event: {
        type: 'app_mention',
        user: 'U_MENTION',
        text: '<@UBOT> who am i',
        channel: 'C200',
        ts: '1700000000.000100',
      },
    };
    const first = await post('/slack/events', signed(JSON.stringify(event), 'application/json'));
    expect(first.json).toEqual({ ok: true });
    // Slack signs each retry anew (a later timestamp) and marks it; the event id stays the same.
    const retry = await post(
      '/slack/events',
      signed(JSON.stringify(event), 'application/json', {
        timestamp: Math.floor(Date.now() / 1000) + 1,
        extra: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    );
    expect(retry.json).toEqual({ ok: true, duplicate: true });
    await t.tasks.idle();
    const posts = slack.to('/api/chat.postMessage').filter((p) => p.body['channel'] === 'C200');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({ thread_ts: '1700000000.000100' });
    expect(posts[0]!.body['text']).toContain('usr_ops');
  });

  it('answers direct messages and ignores bot messages', async () => {
    const dm = {
      type: 'event_callback',
      team_id: 'T100',
      event_id: 'Ev0002',
      event: {
        type: 'message',
        channel_type: 'im',
        user: 'U_MENTION',
        text: 'help',
        channel: 'D300',
        ts: '1.2',
      },
    };
    const bot = { ...dm, event_id: 'Ev0003', event: { ...dm.event, channel: 'D301', bot_id: 'B1' } };
    await post('/slack/events', signed(JSON.stringify(dm), 'application/json'));
    await post('/slack/events', signed(JSON.stringify(bot), 'application/json'));
    await t.tasks.idle();
    expect(slack.to('/api/chat.postMessage').filter((p) => p.body['channel'] === 'D300')).toHaveLength(1);
    expect(slack.to('/api/chat.postMessage').filter((p) => p.body['channel'] === 'D301')).toHaveLength(0);
  });
});

describe('interactivity', () => {
  it('confirms a pending change from its button and reports through response_url', async () => {
    await linkUser('U_BTN');
    const asked = await post(
      '/slack/commands',
      signed(slashCommand('alerts silence ServiceDown 2h', 'U_BTN'), 'application/x-www-form-urlencoded'),
    );
    const actions = asked.json.blocks.find((b: { type: string }) => b.type === 'actions');
    const code = actions.elements[0].value as string;
    const payload = {
      type: 'block_actions',
      user: { id: 'U_BTN', team_id: 'T100' },
      team: { id: 'T100' },
      channel: { id: 'C100' },
      response_url: slack.hookUrl('response/btn'),
      actions: [{ action_id: 'chatops_confirm', value: code }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await post('/slack/interactions', signed(body, 'application/x-www-form-urlencoded'));
    expect(res.status).toBe(200);
    await t.tasks.idle();
    const [update] = slack.to('/hooks/response/btn');
    expect(update!.body['replace_original']).toBe(true);
    // The monitoring service here hangs, so the confirmed silence reports that clearly.
    expect(update!.body['text']).toMatch(/monitoring service did not answer in time/i);
  });

  it('sends a choice button’s text as the person’s next message and answers through response_url', async () => {
    await linkUser('U_CHOICE');
    const asked = await post(
      '/slack/commands',
      signed(slashCommand('rollback', 'U_CHOICE'), 'application/x-www-form-urlencoded'),
    );
    const actions = asked.json.blocks.find((b: { type: string }) => b.type === 'actions');
    const button = actions.elements.find((e: { value: string }) => e.value.includes('iris-classifier'));
    expect(button.action_id).toMatch(/^chatops_say_\d$/);
    const payload = {
      type: 'block_actions',
      user: { id: 'U_CHOICE', team_id: 'T100' },
      team: { id: 'T100' },
      channel: { id: 'C100' },
      response_url: slack.hookUrl('response/choice'),
      actions: [{ action_id: button.action_id, value: button.value }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await post('/slack/interactions', signed(body, 'application/x-www-form-urlencoded'));
    expect(res.status).toBe(200);
    await t.tasks.idle();
    const [answer] = slack.to('/hooks/response/choice');
    // A new message, not a replacement of the question. The rollback reads the alias before asking
    // to confirm, and the ML service is down here, so the answer says that.
    expect(answer!.body['replace_original']).toBe(false);
    expect(answer!.body['text']).toMatch(/^The ML service is unavailable/);
  });
});
