import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@opsmesh/shared';
import { createTestIdentity, type TestIdentity, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './fake-slack.js';
import { signed, slashCommand } from './helpers/slack-request.js';
import { type ChatopsTestApp, send, startChatops } from './helpers/test-app.js';

const identity: TestIdentity = await createTestIdentity();
const [pglite] = await testDatabaseTargets();

// A monitoring service that never answers, so a slash command outlives its inline budget and
// its answer has to go to the response_url.
const hung: Server = createServer(() => {});
await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
const HUNG = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;

let slack: FakeSlack;
const apps: ChatopsTestApp[] = [];
const lines: string[] = [];

async function start(env: Record<string, string>): Promise<ChatopsTestApp> {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const t = await startChatops({
    identity,
    database: await pglite!.create(),
    services: { 'monitoring-service': [HUNG] },
    logger: createLogger({ service: 'chatops-service', level: 'info', destination: sink }),
    env: {
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_INLINE_BUDGET_MS: '200',
      ...env,
    },
  });
  apps.push(t);
  return t;
}

beforeAll(async () => {
  slack = await new FakeSlack().start();
});
afterAll(async () => {
  for (const t of apps) await t.close();
  await slack?.close();
  await identity.close();
  hung.closeAllConnections();
  await new Promise((r) => hung.close(r));
});

const post = (t: ChatopsTestApp, url: string, req: ReturnType<typeof signed>) =>
  send(t, 'POST', url, { body: req.body, headers: req.headers });

/** A choice-button press: its answer always goes to the response_url, whatever it says. */
function buttonPress(responseUrl: string, user: string): ReturnType<typeof signed> {
  const payload = {
    type: 'block_actions',
    user: { id: user, team_id: 'T100' },
    team: { id: 'T100' },
    channel: { id: 'C100' },
    response_url: responseUrl,
    actions: [{ action_id: 'chatops_say_1', value: 'help' }],
  };
  return signed(
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    'application/x-www-form-urlencoded',
  );
}

describe('Slack response_url', () => {
  it("posts nowhere but Slack's own HTTPS hosts by default: an internal URL is logged and never fetched", async () => {
    const t = await start({});
    lines.length = 0;
    const internal = slack.hookUrl('internal/T100/one-time-token');
    const slow = await post(
      t,
      '/slack/commands',
      signed(slashCommand('alerts', 'U_DEFAULT', internal), 'application/x-www-form-urlencoded'),
    );
    expect(slow.status).toBe(200);
    expect((await post(t, '/slack/interactions', buttonPress(internal, 'U_DEFAULT'))).status).toBe(200);
    await t.tasks.idle();
    expect(slack.to('/hooks/internal')).toHaveLength(0);
    const refused = lines.filter((l) => l.includes('response_url refused'));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]).toContain(slack.url);
    expect(refused[0]).toContain('SLACK_RESPONSE_URL_ALLOW');
    expect(lines.join('')).not.toContain('one-time-token');
  });

  it('posts to an allow-listed stand-in, refuses other hosts and follows no redirect', async () => {
    const t = await start({ SLACK_RESPONSE_URL_ALLOW: 'http://127.0.0.1:*' });
    await post(t, '/slack/interactions', buttonPress(slack.hookUrl('allowed/1'), 'U_LIST'));
    // The same server by another name is another origin: not on the list.
    const byName = slack.hookUrl('by-name/1').replace('127.0.0.1', 'localhost');
    await post(t, '/slack/interactions', buttonPress(byName, 'U_LIST'));
    // An allowed URL that redirects: the redirect could lead anywhere, so it is not followed.
    await post(t, '/slack/interactions', buttonPress(slack.hookUrl('moved/1'), 'U_LIST'));
    await t.tasks.idle();
    expect(slack.to('/hooks/allowed')).toHaveLength(1);
    expect(slack.to('/hooks/by-name')).toHaveLength(0);
    expect(slack.to('/hooks/moved')).toHaveLength(1);
    expect(slack.to('/hooks/followed')).toHaveLength(0);
  });

  it('refuses to start with an allow-list entry that is not an origin', async () => {
    await expect(start({ SLACK_RESPONSE_URL_ALLOW: 'hooks.slack.com' })).rejects.toThrow(
      /SLACK_RESPONSE_URL_ALLOW/,
    );
  });
});
