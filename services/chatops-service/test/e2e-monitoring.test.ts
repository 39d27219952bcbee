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
      services: async () => ({ 'monitoring-service': monitoringUrl() }),
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
      /request_rate of chatops-service over the last 5m: \*(\d+\.\d+ req\/s|no data)\*/,
    );
    const unknown = await say(viewer, '/ops metrics nowhere-service latency_p99 5m');
    expect(unknown.run.outcome).toBe('failed');
    expect(unknown.reply).toContain('no data for nowhere-service');
  });

  it('acknowledges an alert after confirmation, as the operator', async () => {
    const denied = await say(viewer, 'ack ServiceDown');
    expect(denied.reply).toContain('alerts:ack');
    const done = await confirm(operator, await say(operator, 'ack ServiceDown because looking into it'));
    expect(done.run.outcome).toBe('succeeded');
    expect(done.reply).toMatch(/Acknowledged 1 alert\(s\): ServiceDown \([0-9a-f]{16}\)/);
    const list = await say(viewer, 'alerts');
    expect(list.reply).toContain('acked by usr_op');
  });

  it('silences and unsilences an alert after confirmation', async () => {
    const asked = await say(operator, 'silence ServiceDown for two hours because maintenance window');
    expect(asked.entities).toEqual({ alert: 'ServiceDown', duration: '2h', comment: 'maintenance window' });
    expect(await silences()).toEqual([]);
    const done = await confirm(operator, asked);
    expect(done.run.outcome).toBe('succeeded');
    const [silence] = await silences();
    expect(silence!.matchers).toEqual([expect.objectContaining({ name: 'alertname', value: 'ServiceDown' })]);
    expect(done.reply).toContain(silence!.id);
    await step(1);
    expect((await say(viewer, 'alerts')).reply).toContain('silenced');

    const undone = await confirm(operator, await say(operator, `unsilence ${silence!.id}`));
    expect(undone.run.outcome).toBe('succeeded');
    expect(await silences()).toEqual([]);
  });

  it('reports the monitoring service’s own refusal readably', async () => {
    const res = await confirm(operator, await say(operator, 'unsilence sil_doesnotexist'));
    expect(res.run.outcome).toBe('failed');
    expect(res.reply).not.toMatch(/stack|Error:/);
  });
});
