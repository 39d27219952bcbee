import { createTestIdentity, type TestIdentity, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackMessageFaults } from './fake-slack.js';
import { type ChatopsTestApp, send, startChatops } from './helpers/test-app.js';

const identity: TestIdentity = await createTestIdentity();
afterAll(() => identity.close());

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`POST /messages (${target.name})`, () => {
    let t: ChatopsTestApp;
    let drop: () => Promise<void>;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      const database = await target.create();
      drop = database.drop;
      t = await startChatops({ identity, database });
      tokens['viewer'] = await identity.token({ sub: 'usr_viewer', roles: ['viewer'] });
      tokens['operator'] = await identity.token({ sub: 'usr_operator', roles: ['operator'] });
      tokens['admin'] = await identity.token({ sub: 'usr_admin', roles: ['admin'] });
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const say = (who: string, text: string) =>
      send(t, 'POST', '/messages', { token: tokens[who]!, body: { text } });

    it('needs a valid token with chatops:use', async () => {
      expect((await send(t, 'POST', '/messages', { body: { text: 'help' } })).status).toBe(401);
      const wrongAudience = await identity.token({ sub: 'usr_x', roles: ['viewer'] });
      const bad = `${wrongAudience.slice(0, -4)}AAAA`;
      const res = await send(t, 'POST', '/messages', { token: bad, body: { text: 'help' } });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const service = await identity.token({ sub: 'svc_x', roles: ['service'] });
      const denied = await send(t, 'POST', '/messages', { token: service, body: { text: 'help' } });
      expect(denied.status).toBe(403);
      expect(denied.json.detail).toContain('chatops:use');
    });

    it('rejects bad bodies with a 400 problem', async () => {
      for (const body of [
        {},
        { text: '' },
        { text: ['a', 'b'] },
        { text: 'x'.repeat(2001) },
        { text: 'hi', extra: 1 },
      ]) {
        const res = await send(t, 'POST', '/messages', { token: tokens['viewer']!, body });
        expect(res.status).toBe(400);
        expect(res.json.code).toBeDefined();
      }
      const notJson = await send(t, 'POST', '/messages', {
        token: tokens['viewer']!,
        body: '{"text":',
        headers: { 'content-type': 'application/json' },
      });
      expect(notJson.status).toBe(400);
    });

    it('answers help with text, blocks, intent, confidence and a recorded run', async () => {
      const res = await say('viewer', 'what can you do?');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        intent: 'help',
        entities: {},
        run: { intent: 'help', outcome: 'succeeded', source: 'api', actor: 'usr_viewer' },
      });
      // Slack mrkdwn: a usage's < and > are escaped, or Slack would read `<service>` as a link.
      expect(res.json.reply).toContain('metrics &lt;service&gt; &lt;signal&gt;');
      expect(slackMessageFaults(res.json)).toEqual([]);
      // What chat cannot do but a newcomer asks first: where a model is uploaded.
      expect(res.json.reply).toContain('uploaded from the command line, not in chat: `opsmesh models upload');
      const how = await say('viewer', 'how do I upload a model?');
      expect(how.json.reply).toContain('`opsmesh models upload &lt;name&gt; &lt;file.onnx&gt;`');
      expect(res.json.blocks[0]).toMatchObject({ type: 'section' });
      expect(res.json.confidence).toBeGreaterThan(0.5);
      expect(res.json.run.id).toMatch(/^run_/);
    });

    it('escapes <, > and & in replies and blocks, a person’s own words too', async () => {
      const first = await say('operator', 'silence ServiceDown for 2h because a<b & c>d');
      const second = await say(
        'operator',
        'silence HighErrorRatio for 1h because <!here> see <https://x.example|this>',
      );
      expect(first.json.run.outcome).toBe('needs_confirmation');
      expect(second.json.run.outcome).toBe('needs_confirmation');
      const which = await say('operator', 'yes');
      expect(which.json.run.outcome).toBe('needs_input');
      expect(which.json.reply).toContain('because a&lt;b &amp; c&gt;d');
      expect(which.json.reply).toContain('because &lt;!here&gt; see &lt;https://x.example|this&gt;');
      expect(JSON.stringify(which.json.blocks)).toContain('because a&lt;b &amp; c&gt;d');
      expect(slackMessageFaults(which.json)).toEqual([]);
      // The run keeps what was said as written.
      expect(which.json.run.reply).toContain('because a<b & c>d');
      await say('operator', `cancel ${first.json.confirmation.code}`);
      await say('operator', `cancel ${second.json.confirmation.code}`);
    });

    it('tells who the caller is', async () => {
      const res = await say('operator', '/ops whoami');
      expect(res.json.reply).toContain('usr_operator');
      expect(res.json.reply).toContain('operator');
    });

    it('refuses a viewer who asks to promote, naming the missing permission', async () => {
      const res = await say('viewer', 'promote iris-classifier v2 to production');
      expect(res.status).toBe(200);
      expect(res.json.intent).toBe('models.promote');
      expect(res.json.entities).toEqual({ model: 'iris-classifier', version: 2, alias: 'production' });
      expect(res.json.run.outcome).toBe('denied');
      expect(res.json.reply).toContain('`models:write`');
      expect(res.json.confirmation).toBeUndefined();
    });

    it('asks for a missing parameter instead of guessing', async () => {
      const res = await say('operator', 'promote iris-classifier');
      expect(res.json.run.outcome).toBe('needs_input');
      expect(res.json.reply).toMatch(/which version/i);
      // The example names the model and alias asked about, not another one.
      const other = await say('operator', 'promote fraud-scorer to staging');
      expect(other.json.run.outcome).toBe('needs_input');
      expect(other.json.reply).toBe(
        'To which version of fraud-scorer? e.g. `promote fraud-scorer v2 to staging`',
      );
      const predict = await say('operator', 'predict fraud-scorer');
      expect(predict.json.reply).toContain('`predict fraud-scorer 5.1 3.5 1.4 0.2`');
    });

    it('says what it can do for an off-topic message, running nothing', async () => {
      for (const text of ['book me a flight', 'purple monkey dishwasher']) {
        const res = await say('viewer', text);
        expect(res.json).toMatchObject({ intent: 'unknown', run: { outcome: 'clarify' } });
        expect(res.json.reply).toMatch(/^Sorry, I can't help with that\. I can check service status/);
        expect(res.json.choices).toContainEqual({ label: 'Help', text: 'help' });
        expect(res.json.blocks).toContainEqual(
          expect.objectContaining({
            type: 'actions',
            elements: expect.arrayContaining([expect.objectContaining({ action_id: 'chatops_say_0' })]),
          }),
        );
      }
    });

    it('greets a greeting and acknowledges thanks, with what it can do', async () => {
      for (const [text, opening] of [
        ['hi', 'Hi!'],
        ['hello', 'Hi!'],
        ['thanks', "You're welcome."],
      ]) {
        const res = await say('viewer', text!);
        expect(res.json).toMatchObject({ intent: 'unknown', run: { outcome: 'clarify' } });
        expect(res.json.reply, text).toBe(
          `${opening} I can check service status, show a signal of a service (latency, errors, traffic, saturation, availability), list, acknowledge and silence alerts, list models and predict, promote or roll back, and show recent commands. Say \`help\` for examples.`,
        );
      }
    });

    it('asks which one for a bare command word, with the known names as buttons', async () => {
      const res = await say('operator', 'rollback');
      expect(res.json).toMatchObject({ intent: 'unknown', run: { outcome: 'clarify' } });
      expect(res.json.options).toEqual([expect.objectContaining({ intent: 'models.rollback' })]);
      expect(res.json.reply).toMatch(/^Do you want to move a model alias back\? Which model\?/);
      expect(res.json.choices).toContainEqual({
        label: 'iris-classifier',
        text: '/ops models rollback iris-classifier',
      });
      expect(res.json.confirmation).toBeUndefined();
    });

    it('answers "how do I …" with that command’s usage instead of running it', async () => {
      const res = await say('operator', 'how would I mute an alert?');
      expect(res.json).toMatchObject({ intent: 'help', run: { outcome: 'succeeded' } });
      expect(res.json.reply).toMatch(/^To silence alerts for a while: `alerts silence/);
      expect(res.json.reply).toContain('I ask you to confirm');
      expect(res.json.confirmation).toBeUndefined();
    });

    it('reads a link code in any sentence as linking, and a past question as history', async () => {
      const link = await say('viewer', 'I got QW23-ER45 from the settings page');
      expect(link.json).toMatchObject({ intent: 'link', entities: { code: 'QW23-ER45' } });
      expect(link.json.reply).toMatch(/linking is for chat users/);
      const history = await say('viewer', 'did someone mute something');
      expect(history.json.intent).toBe('history');
      expect(history.json.reply).toMatch(/^Recent commands|^No commands recorded/);
    });

    it('answers "can I …" from the caller’s own roles', async () => {
      const viewer = await say('viewer', 'can I roll models back?');
      expect(viewer.json.intent).toBe('whoami');
      expect(viewer.json.reply).toBe(
        'No. To move a model alias back you need the `models:write` permission, which your roles (viewer) do not grant. The operator role grants it; ask an admin if you need it.',
      );
      const operator = await say('operator', 'am i allowed to silence alerts');
      expect(operator.json.reply).toMatch(
        /^Yes\. To silence alerts for a while you need the `alerts:silence`/,
      );
    });

    it('asks for a missing target with the known names as buttons', async () => {
      const res = await say('operator', 'mute it for an hour');
      expect(res.json).toMatchObject({ intent: 'alerts.silence', run: { outcome: 'needs_input' } });
      expect(res.json.reply).toMatch(/^What should I silence\?/);
      expect(res.json.choices).toContainEqual({
        label: 'ServiceDown',
        text: '/ops alerts silence ServiceDown 1h',
      });
      expect(res.json.confirmation).toBeUndefined();
    });

    it('asks how long for a silence given an end in words, instead of silencing for the default', async () => {
      const res = await say('operator', 'mute ServiceDown till tomorrow morning');
      expect(res.json).toMatchObject({ intent: 'alerts.silence', run: { outcome: 'needs_input' } });
      expect(res.json.reply).toMatch(/^I cannot set a silence to end "till tomorrow morning"/);
      expect(res.json.choices).toContainEqual({
        label: 'for 8h',
        text: '/ops alerts silence ServiceDown 8h',
      });
      expect(res.json.confirmation).toBeUndefined();
      const given = await say('operator', 'mute ServiceDown for 3h till the deploy is done');
      expect(given.json.run.outcome).toBe('needs_confirmation');
      await say('operator', `cancel ${given.json.confirmation.code}`);
    });

    it('says when it took a name as a typo of a known one', async () => {
      const res = await say('operator', 'silence HighErorRatio for 1h');
      expect(res.json.run.outcome).toBe('needs_confirmation');
      expect(res.json.entities).toMatchObject({ alert: 'HighErrorRatio' });
      expect(res.json.reply).toMatch(
        /^Taking HighErorRatio as HighErrorRatio\. About to silence HighErrorRatio/,
      );
      expect(res.json.blocks[0]).toMatchObject({ type: 'context' });
      // (Settled here, so no later case finds it waiting.)
      await say('operator', `cancel ${res.json.confirmation.code}`);
    });

    it('holds a change for confirmation; only the requester can confirm; it expires', async () => {
      const asked = await say('operator', 'silence ServiceDown for two hours because deploy in progress');
      expect(asked.json.run.outcome).toBe('needs_confirmation');
      expect(asked.json.entities).toEqual({
        alert: 'ServiceDown',
        duration: '2h',
        comment: 'deploy in progress',
      });
      const code = asked.json.confirmation.code as string;
      expect(asked.json.reply).toContain(`confirm ${code}`);
      expect(asked.json.blocks.some((b: { type: string }) => b.type === 'actions')).toBe(true);

      const stranger = await say('admin', `confirm ${code}`);
      expect(stranger.json.run.outcome).toBe('denied');

      t.clock.offsetMs = (t.config.CONFIRMATION_TTL_SECONDS + 1) * 1000;
      try {
        const late = await say('operator', `confirm ${code}`);
        expect(late.json.run.outcome).toBe('expired');
        expect(late.json.run.intent).toBe('alerts.silence');
        const again = await say('operator', `confirm ${code}`);
        expect(again.json.run.outcome).toBe('failed');
      } finally {
        t.clock.offsetMs = 0;
      }
    });

    it('settles the one waiting change on a bare yes or no, and asks which when several wait', async () => {
      // With nothing waiting, a yes is read as any other message.
      const nothing = await say('operator', 'yes');
      expect(nothing.json.run.intent).not.toBe('confirm');

      const first = await say('operator', 'silence HighErrorRatio for 1h');
      const no = await say('operator', 'no');
      expect(no.json.run).toMatchObject({ outcome: 'cancelled', intent: 'alerts.silence' });
      expect(no.json.reply).toContain(first.json.confirmation.code);

      const a = await say('operator', 'silence HighErrorRatio for 1h');
      const b = await say('operator', 'silence ServiceDown for 1h because deploy');
      // Someone else's waiting change is not theirs to settle.
      expect((await say('admin', 'yes')).json.run.intent).not.toBe('confirm');
      const which = await say('operator', 'Yes!');
      expect(which.json.run.outcome).toBe('needs_input');
      expect(which.json.reply).toContain(`confirm ${a.json.confirmation.code}`);
      expect(which.json.reply).toContain(`confirm ${b.json.confirmation.code}`);
      await say('operator', `cancel ${a.json.confirmation.code}`);
      const yes = await say('operator', 'ok');
      expect(yes.json.run.intent).toBe('alerts.silence');
      expect(yes.json.run.parameters).toMatchObject({ alert: 'ServiceDown' });
      expect(yes.json.run.outcome).not.toBe('needs_input');
    });

    it('cancels a pending change', async () => {
      const asked = await say('operator', 'silence HighErrorRatio for 1h');
      const code = asked.json.confirmation.code as string;
      const res = await say('operator', `cancel ${code}`);
      expect(res.json.run).toMatchObject({ outcome: 'cancelled', intent: 'alerts.silence' });
    });

    it('gives a clear reply, not a stack trace, when a downstream service is down', async () => {
      const res = await say('viewer', 'list models');
      expect(res.status).toBe(200);
      expect(res.json.run.outcome).toBe('upstream_unavailable');
      expect(res.json.reply).toMatch(/ML service is unavailable/);
      // A promotion reads the alias before asking to confirm, so the outage is said at once.
      const asked = await say('operator', '/ops models promote iris-classifier 2 production');
      expect(asked.json.run.outcome).toBe('upstream_unavailable');
      expect(asked.json.confirmation).toBeUndefined();
      expect(asked.json.reply).not.toMatch(/Error|at .*\.ts/);
      const status = await say('viewer', 'status');
      expect(status.json.reply).toContain('ml-service: down');
      // Repeated failures open the circuit: the reply names the dependency and says so.
      await say('viewer', 'list models');
      const open = await say('viewer', 'list models');
      expect(open.json.run.outcome).toBe('upstream_unavailable');
      expect(open.json.reply).toMatch(/ML service is unavailable: ml-service kept failing.*circuit open/);
    });

    it('shows history filtered by the caller’s rights', async () => {
      const own = await say('viewer', 'history');
      expect(own.json.reply).toContain('usr_viewer');
      expect(own.json.reply).not.toContain('usr_operator');
      const other = await say('viewer', 'history for user usr_operator');
      expect(other.json.reply).toContain('audit:read');
      const all = await say('admin', 'show history');
      expect(all.json.reply).toContain('usr_operator');
      const api = await send(t, 'GET', '/runs?limit=50', { token: tokens['viewer']! });
      expect(api.status).toBe(200);
      expect(api.json.items.every((r: { actor: string }) => r.actor === 'usr_viewer')).toBe(true);
      expect(api.json.items[0]).toMatchObject({ source: 'api', intent: 'history' });
      // A page at a time: the total, and where the next page starts until the last.
      const first = await send(t, 'GET', '/runs?limit=1', { token: tokens['viewer']! });
      const total = Number(first.headers['x-total-count']);
      expect(total).toBe(api.json.items.length);
      expect(first.headers['x-next-offset']).toBe('1');
      const last = await send(t, 'GET', `/runs?limit=1&offset=${total - 1}`, { token: tokens['viewer']! });
      expect(last.json.items).toEqual([api.json.items[total - 1]]);
      expect(last.headers['x-next-offset']).toBeUndefined();
    });

    it('issues one-time link codes and lets an admin link directly', async () => {
      const code = await send(t, 'POST', '/links/codes', { token: tokens['viewer']! });
      expect(code.status).toBe(201);
      expect(code.json.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      const body = { platform: 'slack', teamId: 'T1', chatUserId: 'U1', subject: 'usr_viewer' };
      expect((await send(t, 'POST', '/links', { token: tokens['viewer']!, body })).status).toBe(403);
      const linked = await send(t, 'POST', '/links', { token: tokens['admin']!, body });
      expect(linked.status).toBe(201);
      expect(
        (await send(t, 'POST', '/links', { token: tokens['admin']!, body: { ...body, platform: 'irc' } }))
          .status,
      ).toBe(400);
    });
  });
}
