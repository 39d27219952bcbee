import type { AddressInfo } from 'node:net';
import {
  createAuthenticator,
  createHttpClient,
  createTokenVerifier,
  remoteJwks,
  staticDiscovery,
} from '@opsmesh/shared';
import { testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  type Harness,
  login,
  startAuth,
  userWithRoles,
} from '../../auth-service/test/helpers.js';
import { randomMlp } from '../../ml-service/test/helpers/models.js';
import {
  type TestApp as MlTestApp,
  startTestApp as startMl,
} from '../../ml-service/test/helpers/test-app.js';
import { authTokenExchange } from '../src/services/token-exchange.js';
import { signed, slashCommand } from './helpers/slack-request.js';
import { type ChatopsTestApp, DOWN, send, startChatops } from './helpers/test-app.js';

/**
 * ChatOps against the real auth and ML services, each built in-process with its own buildApp and
 * listening on loopback: tokens come from the auth service (login, token exchange for linked Slack
 * users), models and predictions from the ML service. The monitoring service is not part of this
 * run (see the report): its commands meet a closed port and must say so plainly.
 */
const [pglite] = await testDatabaseTargets();
const CHATOPS_SECRET = 'chatops-service-secret-0123456789';

let auth: Harness;
let ml: MlTestApp;
let chat: ChatopsTestApp;
let authUrl: string;
let mlUrl: string;
const users: Record<string, { id: string; email?: string; access_token: string }> = {};

async function listen(app: {
  listen(o: object): Promise<string>;
  server: { address(): unknown };
}): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  auth = await startAuth(await pglite!.create());
  await auth.deps.credentials.ensureServiceAccount('chatops-service', CHATOPS_SECRET);
  authUrl = await listen(auth.app);
  const issuer = auth.config.JWT_ISSUER;
  const audience = auth.config.JWT_AUDIENCE;
  const jwksUrl = `${authUrl}/.well-known/jwks.json`;
  const authIdentity = {
    jwksUrl,
    issuer,
    audience,
    token: () => Promise.reject(new Error('use the auth service')),
    close: async () => {},
  };
  ml = await startMl({ identity: authIdentity, database: await pglite!.create() });
  mlUrl = await listen(ml.app);

  const admin = await login(auth.app, ADMIN_EMAIL, ADMIN_PASSWORD);
  users['admin'] = { id: 'admin', access_token: admin.access_token };
  users['operator'] = await userWithRoles(auth.app, admin.access_token, ['operator']);
  users['viewer'] = await userWithRoles(auth.app, admin.access_token, ['viewer']);

  // A second iris-classifier version to promote and roll back.
  const upload = await ml.app.inject({
    method: 'POST',
    url: '/models/iris-classifier/versions',
    headers: { authorization: `Bearer ${admin.access_token}`, 'content-type': 'application/octet-stream' },
    payload: Buffer.from(randomMlp(7, [4, 8, 3])),
  });
  expect(upload.statusCode).toBe(201);

  const discovery = staticDiscovery({
    'auth-service': [authUrl],
    'ml-service': [mlUrl],
    'monitoring-service': [DOWN],
  });
  const verifier = createTokenVerifier({ keys: remoteJwks({ url: jwksUrl }), issuer, audience });
  chat = await startChatops({
    identity: { ...authIdentity, token: authIdentity.token },
    database: await pglite!.create(),
    discovery,
    tokens: authTokenExchange({
      auth: createHttpClient({ service: 'auth-service', discovery }),
      verifier,
      clientId: 'chatops-service',
      clientSecret: CHATOPS_SECRET,
    }),
    authenticator: createAuthenticator({ verifier }),
    // The longest inline answer Slack allows: on a loaded test host a token exchange and a registry
    // call can pass the 2 s default, and this file is about what is answered, not when.
    env: { LEXICON_REFRESH_SECONDS: '1', SLACK_INLINE_BUDGET_MS: '2800' },
  });
}, 60_000);

afterAll(async () => {
  await chat?.close();
  await ml?.close();
  await auth?.close();
});

const say = async (who: string, text: string) => {
  const res = await send(chat, 'POST', '/messages', { token: users[who]!.access_token, body: { text } });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
};

async function productionVersion(): Promise<number> {
  const res = await ml.app.inject({
    method: 'GET',
    url: '/models/iris-classifier',
    headers: { authorization: `Bearer ${users['admin']!.access_token}` },
  });
  return res.json().aliases.production as number;
}

describe('chatting with the platform (auth + ML in-process)', () => {
  it('reports service status from each service’s readiness', async () => {
    const res = await say('viewer', 'is everything ok?');
    expect(res.intent).toBe('status');
    expect(res.reply).toContain('auth-service: ready');
    expect(res.reply).toContain('ml-service: ready');
    expect(res.reply).toContain('monitoring-service: down');
  });

  it('lists models and predicts with iris-classifier', async () => {
    const list = await say('viewer', 'which models do we have?');
    expect(list.run.outcome).toBe('succeeded');
    expect(list.reply).toContain('iris-classifier');
    expect(list.reply).toContain('production→v1');
    const one = await say('viewer', 'what versions of iris-classifier are there');
    expect(one.entities).toEqual({ model: 'iris-classifier' });
    expect(one.reply).toMatch(/^\*iris-classifier\* — latest v\d+, .*production→v1/);
    const predict = await say('viewer', 'predict iris-classifier 5.1 3.5 1.4 0.2');
    expect(predict.entities).toEqual({ model: 'iris-classifier', features: [5.1, 3.5, 1.4, 0.2] });
    expect(predict.run.outcome).toBe('succeeded');
    expect(predict.reply).toMatch(/iris-classifier v1 \(production\) predicts \*Iris-setosa\*/);
    const typo = await say('viewer', 'classify 6.7 3.0 5.2 2.3 with iris-clasifier');
    expect(typo.reply).toMatch(
      /^Taking iris-clasifier as iris-classifier\. iris-classifier v1 .*predicts \*Iris-virginica\*/,
    );
  });

  it('answers which version an alias serves, of one model or of each', async () => {
    const one = await say('viewer', 'which version does production serve for iris-classifier?');
    expect(one.entities).toEqual({ model: 'iris-classifier', alias: 'production' });
    expect(one.run.outcome).toBe('succeeded');
    expect(one.reply).toMatch(
      /^iris-classifier@production serves version 1 \(set \d{4}-\d\d-\d\d \d\d:\d\d UTC by .+\)\.$/,
    );
    const none = await say('viewer', "what's the canary on iris-classifier");
    expect(none.entities).toEqual({ model: 'iris-classifier', alias: 'canary' });
    expect(none.reply).toBe('iris-classifier has no alias canary; its aliases: production→v1.');
    const each = await say('viewer', 'which models are in production?');
    expect(each.entities).toEqual({ alias: 'production' });
    expect(each.reply).toBe('1 model(s) with production:\n• *iris-classifier* — production→v1');
    const strict = await say('viewer', '/ops models list staging');
    expect(strict.reply).toBe('No model has an alias staging.');
  });

  it('names back a model the registry does not have, with the ones it has', async () => {
    const res = await say('viewer', 'predict with payments-scorer 1 2 3 4');
    expect(res.entities).toEqual({ model: 'payments-scorer', features: [1, 2, 3, 4] });
    expect(res.run.outcome).toBe('needs_input');
    expect(res.reply).toMatch(/^There is no model named payments-scorer\. Known models: .*iris-classifier/);
    const near = await say('operator', 'rollback iris-model@prod');
    expect(near.reply).toMatch(/^There is no model named iris-model\. Did you mean iris-classifier\?/);
    expect(near.choices).toEqual([{ label: 'iris-classifier', text: 'rollback iris-classifier@prod' }]);
    expect(near.confirmation).toBeUndefined();
  });

  it('answers at once, asking no confirmation, a rollback or promotion that cannot change anything', async () => {
    // v1 is production's first and only version: there is nothing earlier to go back to.
    const back = await say('operator', 'roll back iris-classifier');
    expect(back.run.outcome).toBe('failed');
    expect(back.confirmation).toBeUndefined();
    expect(back.reply).toMatch(/^Nothing to roll back: iris-classifier@production serves version 1/);
    const staging = await say('operator', '/ops models rollback iris-classifier staging');
    expect(staging.confirmation).toBeUndefined();
    expect(staging.reply).toBe('iris-classifier@staging does not exist, so there is nothing to roll back.');
    const same = await say('operator', 'promote iris-classifier v1 to production');
    expect(same.run.outcome).toBe('failed');
    expect(same.confirmation).toBeUndefined();
    expect(same.reply).toBe('iris-classifier@production already serves version 1; nothing to change.');
    expect(await productionVersion()).toBe(1);
  });

  it('promotes and rolls back a version with confirmations, as the operator', async () => {
    const ask = await say('operator', 'promote iris-classifier v2 to production');
    expect(ask.run.outcome).toBe('needs_confirmation');
    expect(await productionVersion()).toBe(1);
    const done = await say('operator', `confirm ${ask.confirmation.code}`);
    expect(done.run.outcome).toBe('succeeded');
    expect(done.reply).toContain('now serves version 2');
    expect(await productionVersion()).toBe(2);

    const back = await say('operator', 'roll back iris-classifier');
    expect(back.run.outcome).toBe('needs_confirmation');
    const undone = await say('operator', `confirm ${back.confirmation.code}`);
    expect(undone.reply).toContain('now serves version 1');
    expect(await productionVersion()).toBe(1);
  });

  it('refuses a viewer’s promotion by the missing permission, before any call', async () => {
    const res = await say('viewer', '/ops models promote iris-classifier 2 production');
    expect(res.run.outcome).toBe('denied');
    expect(res.reply).toContain('models:write');
    expect(await productionVersion()).toBe(1);
  });

  it('passes the ML service’s own 4xx answer on as a readable reply', async () => {
    const ask = await say('operator', 'promote iris-classifier v99 to production');
    const res = await say('operator', `confirm ${ask.confirmation.code}`);
    expect(res.run.outcome).toBe('failed');
    expect(res.reply).toMatch(/version 99/i);
  });

  it('says plainly that the monitoring service is down for alerts and metrics', async () => {
    const alerts = await say('viewer', 'show critical alerts');
    expect(alerts.run.outcome).toBe('upstream_unavailable');
    expect(alerts.reply).toContain('monitoring service is unavailable');
    const metrics = await say('viewer', "what's the p99 latency of ml-service over the last 30 minutes?");
    expect(metrics.entities).toEqual({ signal: 'latency_p99', service: 'ml-service', window: '30m' });
    expect(metrics.run.outcome).toBe('upstream_unavailable');
  });

  it('lets a linked Slack user act through the auth service’s token exchange', async () => {
    const code = await send(chat, 'POST', '/links/codes', { token: users['operator']!.access_token });
    const link = signed(slashCommand(`link ${code.json.code}`, 'U_OP'), 'application/x-www-form-urlencoded');
    expect((await send(chat, 'POST', '/slack/commands', link)).json.text).toContain('Linked');
    const list = signed(slashCommand('models list', 'U_OP'), 'application/x-www-form-urlencoded');
    const res = await send(chat, 'POST', '/slack/commands', list);
    expect(res.json.text).toContain('iris-classifier');
    const who = signed(slashCommand('whoami', 'U_OP'), 'application/x-www-form-urlencoded');
    const whoText = (await send(chat, 'POST', '/slack/commands', who)).json.text as string;
    // The email the README promises, not the platform id.
    expect(whoText).toContain(`You act as ${users['operator']!.email} with roles operator`);
    expect(whoText).not.toContain(users['operator']!.id);
  });

  it('learns model names from the live registry, typos included', async () => {
    const upload = await ml.app.inject({
      method: 'POST',
      url: '/models/sentiment-scorer/versions',
      headers: {
        authorization: `Bearer ${users['admin']!.access_token}`,
        'content-type': 'application/octet-stream',
      },
      payload: Buffer.from(randomMlp(11, [4, 8, 3])),
    });
    expect(upload.statusCode).toBe(201);
    await new Promise((r) => setTimeout(r, 1100));
    await say('viewer', 'help');
    const res = await say('viewer', 'predict sentimnt-scorer 0.1 0.2 0.3 0.4');
    expect(res.entities).toEqual({ model: 'sentiment-scorer', features: [0.1, 0.2, 0.3, 0.4] });
    expect(res.run.outcome).toBe('succeeded');
    expect(res.reply).toContain('sentiment-scorer v1');
  });

  it('shows all of it in history', async () => {
    const res = await say('operator', 'history');
    for (const intent of ['models.promote', 'models.rollback', 'confirm'])
      expect(res.reply).not.toContain(`\`${intent}\` → denied`);
    expect(res.reply).toContain('`models.promote` → succeeded');
    expect(res.reply).toContain('`models.rollback` → succeeded');
  });
});
