// No page on a planned start: the whole platform started as processes (as `npm start` runs it),
// stopped and started again on the same data directory, notifies no one, though monitoring scrapes
// the services that start after it while they are still down; a real outage afterwards still
// notifies. Notifications go to a local stand-in receiver that counts them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  eventually,
  jsonCaller,
  type RunningSystem,
  SYSTEM_ADMIN,
  startSystem,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Notification {
  status: string;
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

describe('a planned start pages no one', () => {
  let system: RunningSystem;
  let receiver: Server;
  const received: Notification[] = [];
  const firing = (service: string) =>
    received.filter((n) => n.alerts.some((a) => a.status === 'firing' && a.labels['service'] === service));

  const login = async () => {
    const api = jsonCaller(system.gateway);
    const res = await api('POST', '/api/auth/login', undefined, SYSTEM_ADMIN);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { api, token: res.body.access_token as string };
  };
  /** Every service the monitoring service scrapes answered its last scrape. */
  const allUp = (session: { api: ReturnType<typeof jsonCaller>; token: string }) => async () => {
    const { body } = await session.api('GET', '/api/monitoring/services', session.token);
    const instances = (body.services as Array<{ instances: Array<{ up: boolean | null }> }>).flatMap(
      (s) => s.instances,
    );
    return instances.length >= 5 && instances.every((i) => i.up === true);
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body) as Notification);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    // Scrapes, evaluations and deliveries every second, so an alert would be notified within the
    // time the later services take to start.
    system = await startSystem({
      SCRAPE_INTERVAL: '1s',
      SCRAPE_TIMEOUT: '1s',
      EVALUATION_INTERVAL: '1s',
      GROUP_WAIT: '1s',
      OUTBOX_INTERVAL: '1s',
      STARTUP_GRACE: '2m',
      ALERT_RECEIVERS: `standin=http://127.0.0.1:${port}/hook`,
    });
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 60_000);

  it('restarts the whole platform on the same data directory without a notification', async () => {
    const session = await login();
    const { api, token } = session;
    // ServiceDown fires one second after a failed scrape: without the start gate the services that
    // start after monitoring (ChatOps, the gateway) would page on every start.
    const rule = (await api('GET', '/api/monitoring/rules/rul_builtinServiceDown', token)).body;
    const { id, builtin, createdAt, updatedAt, ...spec } = rule;
    const updated = await api('PUT', `/api/monitoring/rules/${id}`, token, { ...spec, for: '1s' });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect((await eventually(allUp(session), Boolean, 60_000)).value).toBe(true);

    await system.supervisor.stop();
    await system.supervisor.start();
    const after = await login();
    expect((await eventually(allUp(after), Boolean, 60_000)).value).toBe(true);
    // Several evaluation and delivery cycles after everything is up: anything due has gone out.
    await new Promise((r) => setTimeout(r, 8000));
    expect(received).toEqual([]);
    const alerts = (await after.api('GET', '/api/monitoring/alerts?state=firing', after.token)).body.alerts;
    expect(alerts.filter((a: { alertname: string }) => a.alertname === 'ServiceDown')).toEqual([]);
  }, 300_000);

  it('still notifies a real outage of a service that was ready', async () => {
    // A frozen process: its port accepts but nothing answers, so scrapes time out.
    system.supervisor.kill('ml-service', 'SIGSTOP');
    try {
      const seen = await eventually(
        () => firing('ml-service'),
        (list) => list.length > 0,
        60_000,
      );
      expect(seen.value.length, system.output()).toBeGreaterThan(0);
      expect(seen.value[0]!.alerts[0]!.labels['alertname']).toBe('ServiceDown');
      // Only the frozen service was notified.
      expect(received.filter((n) => !n.alerts.every((a) => a.labels['service'] === 'ml-service'))).toEqual(
        [],
      );
    } finally {
      system.supervisor.kill('ml-service', 'SIGCONT');
    }
  }, 120_000);
});
