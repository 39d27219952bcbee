import type { AddressInfo } from 'node:net';
import { staticDiscovery } from '@opsmesh/shared';
import { createTestIdentity, type TestIdentity, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, type Harness, testClock } from '../../monitoring-service/test/helpers/harness.js';
import { type ChatopsTestApp, DOWN, send, startChatops } from './helpers/test-app.js';

/**
 * ChatOps against the real monitoring service built in-process with its own buildApp: it scrapes
 * the ChatOps service's real /metrics and a service that is down, evaluates its built-in rules, and
 * answers the alert, silence and signal calls that chat commands make with the user's token.
 */
const [pglite] = await testDatabaseTargets();
const identity: TestIdentity = await createTestIdentity();
const clock = testClock(Date.now());
let monitoring: Harness;
let chat: ChatopsTestApp;
let operator: string;
let viewer: string;

async function step(times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    clock.advance(15_000);
    await monitoring.runtime.scraper.scrapeAll();
    await monitoring.runtime.readiness.pollAll();
    await monitoring.runtime.alerts.evaluate();
  }
}

beforeAll(async () => {
  const services: Record<string, string[]> = { 'ghost-service': [DOWN] };
  const discovery = staticDiscovery({ 'monitoring-service': ['http://127.0.0.1:1'] });
  chat = await startChatops({
    identity,
    database: await pglite!.create(),
    discovery: {
      resolve: async (name) => (name === 'monitoring-service' ? monitoringUrl() : discovery.resolve(name)),
      services: async () => ({ 'monitoring-service': monitoringUrl(), 'ghost-service': [DOWN] }),
    },
  });
  await chat.app.listen({ port: 0, host: '127.0.0.1' });
  services['chatops-service'] = [`http://127.0.0.1:${(chat.app.server.address() as AddressInfo).port}`];
  monitoring = await buildHarness({ services, identity, now: clock.now });
  await monitoring.app.listen({ port: 0, host: '127.0.0.1' });
  operator = await identity.token({ sub: 'usr_op', roles: ['operator'] });
  viewer = await identity.token({ sub: 'usr_view', roles: ['viewer'] });
  await step(4);
}, 60_000);

afterAll(async () => {
  await chat?.close();
  await monitoring?.close();
  await identity.close();
});

function monitoringUrl(): string[] {
  const address = monitoring?.app.server.address() as AddressInfo | null;
  return address ? [`http://127.0.0.1:${address.port}`] : [];
}

const say = async (token: string, text: string) => {
  const res = await send(chat, 'POST', '/messages', { token, body: { text } });
  expect(res.status).toBe(200);
  return res.json;
};
const confirm = async (token: string, asked: { confirmation?: { code: string } }) => {
  expect(asked.confirmation).toBeDefined();
  return say(token, `confirm ${asked.confirmation!.code}`);
};

async function silences(): Promise<{ id: string; matchers: { name: string; value: string }[] }[]> {
  const res = await monitoring.app.inject({
    method: 'GET',
    url: '/silences?state=active',
    headers: { authorization: `Bearer ${viewer}` },
  });
  return res.json().silences;
}

describe('chatting about alerts and signals (monitoring in-process)', () => {
  it('lists the firing alerts', async () => {
    const res = await say(viewer, 'what alerts are firing?');
    expect(res.intent).toBe('alerts.list');
    expect(res.run.outcome).toBe('succeeded');
    expect(res.reply).toContain('*ServiceDown* (critical, firing · ghost-service');
    const critical = await say(viewer, '/ops alerts critical');
    expect(critical.reply).toContain('ServiceDown');
    const info = await say(viewer, 'show info alerts');
    expect(info.reply).toContain('No active alerts');
  });

  it('reads a signal of a service over a window', async () => {
    const res = await say(viewer, "what's the request rate of chatops over the last 5 minutes?");
    expect(res.entities).toEqual({ signal: 'request_rate', service: 'chatops-service', window: '5m' });
    expect(res.run.outcome).toBe('succeeded');
    expect(res.reply).toMatch(
      /^request rate of chatops-service over the last 5m: \*(\d+(\.\d+)? req\/s|no data)\*/,
    );
    const which = await say(viewer, '/ops metrics chatops-service');
    expect(which.run.outcome).toBe('needs_input');
    expect(which.reply).toContain('p99 latency, availability or saturation?');
    expect(which.reply).not.toMatch(/latency_p99|error_ratio/);
    // No data says why: a service whose every scrape fails is named as such, with what to try.
    const down = await say(viewer, '/ops metrics ghost-service latency_p99 5m');
    expect(down.run.outcome).toBe('succeeded');
    expect(down.reply).toMatch(
      /^p99 latency of ghost-service over the last 5m: \*no data\*\. ghost-service does not answer the monitoring service's scrapes \(.+\)\. Check its health with `status ghost-service`\.$/,
    );
    // Discovery answered, so a service it does not know is named back with the ones it does.
    const unknown = await say(viewer, '/ops metrics nowhere-service latency_p99 5m');
    expect(unknown.run.outcome).toBe('needs_input');
    expect(unknown.reply).toMatch(
      /^There is no service named nowhere-service\. .*Known services: .*monitoring-service/,
    );
  });

  it('acknowledges an alert after confirmation, as the operator', async () => {
    const denied = await say(viewer, 'ack ServiceDown');
    expect(denied.reply).toContain('alerts:ack');
    const done = await confirm(operator, await say(operator, 'ack ServiceDown because looking into it'));
    expect(done.run.outcome).toBe('succeeded');
    expect(done.reply).toMatch(/Acknowledged 1 alert\(s\): ServiceDown \([0-9a-f]{4,}\)/);
    const list = await say(viewer, 'alerts');
    expect(list.reply).toContain('acked by usr_op');
  });

  it('answers at once, asking no confirmation, an ack of alerts all acknowledged or of none', async () => {
    const asked = await say(operator, 'ack all the crit ones');
    expect(asked.entities).toEqual({ severity: 'critical' });
    expect(asked.confirmation).toBeUndefined();
    expect(asked.run.outcome).toBe('failed');
    expect(asked.reply).toMatch(
      /^Already acknowledged: ServiceDown \([0-9a-f]{4,}\) by usr_op\. Nothing to do\.$/,
    );
    const none = await say(operator, 'ack the warning ones');
    expect(none.confirmation).toBeUndefined();
    expect(none.run.outcome).toBe('failed');
    expect(none.reply).toBe('No active alert matches the alerts (warning).');
  });

  it('silences and unsilences an alert after confirmation', async () => {
    const asked = await say(operator, 'silence ServiceDown for two hours because maintenance window');
    expect(asked.entities).toEqual({ alert: 'ServiceDown', duration: '2h', comment: 'maintenance window' });
    expect(await silences()).toEqual([]);
    const done = await confirm(operator, asked);
    expect(done.run.outcome).toBe('succeeded');
    const [silence] = await silences();
    expect(silence!.matchers).toEqual([expect.objectContaining({ name: 'alertname', value: 'ServiceDown' })]);
    // The reply shows the silence's short id, which is a prefix of its body.
    const short = /unsilence (\w+)/.exec(done.reply)![1]!;
    expect(silence!.id.slice(4).startsWith(short)).toBe(true);
    await step(1);
    expect((await say(viewer, 'alerts')).reply).toContain('silenced');

    const undone = await confirm(operator, await say(operator, `unsilence ${silence!.id}`));
    expect(undone.run.outcome).toBe('succeeded');
    expect(await silences()).toEqual([]);
  });

  it('removes the silences on a service when asked by the service, and says when none covers it', async () => {
    const done = await confirm(operator, await say(operator, 'silence monitoring alerts for 1h'));
    expect(done.run.outcome).toBe('succeeded');
    expect((await silences()).map((s) => s.matchers)).toEqual([
      [expect.objectContaining({ name: 'service', value: 'monitoring-service' })],
    ]);
    const asked = await say(operator, 'unmute the monitoring alerts');
    expect(asked).toMatchObject({ intent: 'alerts.unsilence', entities: { service: 'monitoring-service' } });
    const undone = await confirm(operator, asked);
    expect(undone.reply).toMatch(/^Removed 1 silence\(s\): /);
    expect(await silences()).toEqual([]);
    const none = await say(operator, 'stop muting monitoring');
    expect(none.confirmation).toBeUndefined();
    expect(none.run.outcome).toBe('failed');
    expect(none.reply).toBe('No active silence covers monitoring-service.');
  });

  it("lets no one else's confirm, however many at once, keep the requester's change from them", async () => {
    // The code is shown in the channel; a colleague sending it back must never take the pending
    // change away from its requester, not even for a moment.
    const other = await identity.token({ sub: 'usr_op_other', roles: ['operator'] });
    const asked = await say(operator, 'silence monitoring alerts for 1h');
    const code = asked.confirmation.code as string;
    const hostile = () => say(other, `confirm ${code}`);
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, hostile),
      confirm(operator, asked),
      ...Array.from({ length: 8 }, hostile),
    ]);
    const mine = answers[8]!;
    expect(mine.run.outcome).toBe('succeeded');
    for (const a of [...answers.slice(0, 8), ...answers.slice(9)]) {
      expect(a.run.outcome).not.toBe('succeeded');
    }
    expect(await silences()).toHaveLength(1);
    const undone = await confirm(operator, await say(operator, 'unmute the monitoring alerts'));
    expect(undone.run.outcome).toBe('succeeded');
    expect(await silences()).toEqual([]);
  });

  it('lifts the silences on an alert named by its id ("unmute alert 7"), and says when none covers it', async () => {
    const list = await say(viewer, 'whats firing');
    const short = /`([0-9a-f]{4,})` \*ServiceDown\*/.exec(list.reply)![1]!;
    const none = await say(operator, `unmute alert ${short}`);
    expect(none).toMatchObject({ intent: 'alerts.unsilence', entities: { alert_id: short } });
    expect(none.confirmation).toBeUndefined();
    expect(none.reply).toBe(`No active silence covers alert \`${short}\` (ServiceDown).`);
    expect((await confirm(operator, await say(operator, `mute alert ${short} for 1h`))).run.outcome).toBe(
      'succeeded',
    );
    const [silence] = await silences();
    await step(1);
    // A silence numbered like the alert is not what "alert <id>" names: the alert's own silences are.
    const asked = await say(operator, `unmute alert #${short}`);
    expect(asked.entities).toEqual({ alert_id: short });
    const undone = await confirm(operator, asked);
    expect(undone.run.outcome).toBe('succeeded');
    expect(undone.reply).toMatch(/^Removed 1 silence\(s\): \w+\.$/);
    expect(silence).toBeDefined();
    expect(await silences()).toEqual([]);
  });

  it('lists alerts with short ids and takes them back, whichever way they are typed', async () => {
    const list = await say(viewer, 'whats firing');
    const short = /`([0-9a-f]{4,})` \*ServiceDown\*/.exec(list.reply)![1]!;
    // ServiceDown is acknowledged by now, so each is answered at once, naming the alert it found.
    for (const text of [`ack ${short}`, `ack #${short}`, `/ops alerts ack ${short}`]) {
      const asked = await say(operator, text);
      expect(asked.confirmation, text).toBeUndefined();
      expect(asked.reply, text).toBe(
        `Already acknowledged: ServiceDown (${short}) by usr_op. Nothing to do.`,
      );
    }
  });

  it('answers an id that matches no active alert with the alerts it could mean, as buttons', async () => {
    const res = await say(operator, 'ack alert number ninety nine');
    expect(res.entities).toEqual({ alert_id: '99' });
    expect(res.confirmation).toBeUndefined();
    expect(res.reply).toMatch(
      /^No active alert has an id starting with 99\. Active alerts:\n• `[0-9a-f]{4,}` ServiceDown/,
    );
    expect(res.choices[0].text).toMatch(/^\/ops alerts ack [0-9a-f]{4,}$/);
    // Lifting a silence by an alert's id: the buttons name the alert, so they read back as its id.
    const unmute = await say(operator, 'unmute alert 99');
    expect(unmute.reply).toMatch(/^No active alert has an id starting with 99\./);
    const button = unmute.choices[0].text as string;
    expect(button).toMatch(/^unsilence alert [0-9a-f]{4,}$/);
    expect((await say(operator, button)).entities).toEqual({ alert_id: button.split(' ')[2] });
  });

  it('names back an alert rule that does not exist, offering the near one', async () => {
    await say(viewer, 'help');
    const res = await say(operator, 'silence HighErrorRate for 1h');
    expect(res.run.outcome).toBe('needs_input');
    expect(res.reply).toMatch(
      /^There is no alert rule named HighErrorRate\. Did you mean HighErrorRatio\? Known alert rules: /,
    );
    expect(res.choices).toEqual([{ label: 'HighErrorRatio', text: 'silence HighErrorRatio for 1h' }]);
  });

  it('names back a silence id that matches no active silence, before asking to confirm', async () => {
    const res = await say(operator, 'unsilence sil_doesnotexist');
    expect(res.run.outcome).toBe('failed');
    expect(res.confirmation).toBeUndefined();
    expect(res.reply).toContain('No active silence has an id starting with sil_doesnotexist');
    expect(res.reply).not.toMatch(/stack|Error:/);
  });
});
