// Two replicas of every service behind two gateways, each its own process, over a real etcd
// (discovery), PostgreSQL (a database per service, shared by its replicas) and Redis (the
// gateways' limits). Under a steady mixed load through both gateways one replica of each service
// is killed with SIGKILL in turn and brought back; state that must be shared is checked on both
// replicas of its service.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import {
  eventually,
  type JsonAnswer,
  jsonCaller,
  REPO_ROOT,
  SYSTEM_ADMIN,
  skipUnlessBinary,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../services/chatops-service/test/fake-slack.js';
import { failed, type LoadRequest, type LoadSample, startMixedLoad } from './helpers/mixed-load.js';
import { type Replica, type ReplicaCluster, startReplicaCluster } from './helpers/replica-cluster.js';

const SLACK_SECRET = 'scale-out-signing-secret';
const GROUP_WAIT_S = 20;
const BACKENDS = ['auth-service', 'ml-service', 'monitoring-service', 'chatops-service'];

const [, postgres] = await testDatabaseTargets();
const redisUp = await new Promise<boolean>((resolve) => {
  const socket = connect(6379, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
});
if (!redisUp && (process.env['CI'] === 'true' || process.env['CI'] === '1')) {
  throw new Error('Redis at 127.0.0.1:6379 is unreachable, and CI requires it');
}
const skip =
  skipUnlessBinary('etcd', 'etcd-server') ??
  postgres!.skipReason ??
  (redisUp ? null : 'Redis at 127.0.0.1:6379 unreachable');

/** A local Alertmanager-webhook receiver: every notification the monitoring service delivers. */
interface Delivered {
  status: string;
  alerts: { labels: Record<string, string> }[];
  key: string | undefined;
}
function receiver(into: Delivered[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<Delivered, 'key'>;
      into.push({ ...body, key: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

/** A fresh client address, as a load balancer in front of the gateways would forward it. */
let nextAddress = Math.floor(Math.random() * 50_000);
const clientAddress = () => {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

interface Phase {
  service: string;
  victim: string;
  killedAt: number;
  /** When etcd and both gateways had dropped it, plus the discovery caches' second. */
  outAt: number;
}

describe.skipIf(skip)('two replicas of every service behind two gateways', () => {
  let cluster: ReplicaCluster;
  let slack: FakeSlack;
  let hook: Server;
  const delivered: Delivered[] = [];
  let token = '';
  let load: ReturnType<typeof startMixedLoad>;
  const phases: Phase[] = [];
  /** The gateways the load goes to: a load balancer in front of them drops a dead one. */
  const live: string[] = [];

  const direct = (replica: Replica) => jsonCaller(replica.url);
  const via = (i: number) => jsonCaller(live[i % live.length]!);
  const replicasOf = (service: string) => cluster.replicas[service]!;

  beforeAll(async () => {
    slack = await new FakeSlack().start();
    hook = receiver(delivered);
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    cluster = await startReplicaCluster({
      replicas: 2,
      gateways: 2,
      envOf: {
        'monitoring-service': {
          SCRAPE_INTERVAL: '2s',
          EVALUATION_INTERVAL: '1s',
          GROUP_WAIT: `${GROUP_WAIT_S}s`,
          GROUP_INTERVAL: '10m',
          REPEAT_INTERVAL: '4h',
          OUTBOX_INTERVAL: '1s',
          ALERT_RECEIVERS: `probe=${hookUrl}`,
        },
        'chatops-service': {
          SLACK_SIGNING_SECRET: SLACK_SECRET,
          SLACK_API_URL: slack.apiUrl,
          SLACK_BOT_TOKEN: slack.botToken,
        },
        'ml-service': { ML_WORKERS: '1' },
        // Behind a load balancer on loopback: each load client is a forwarded address of its own.
        gateway: { REDIS_URL: 'redis://127.0.0.1:6379', TRUST_PROXY: 'loopback' },
      },
    });
    live.push(...cluster.gateways);
    const login = await via(0)('POST', '/api/auth/login', undefined, SYSTEM_ADMIN);
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    token = login.body.access_token;
    // The load's logins are a user of their own: past SESSIONS_MAX logins of one user the oldest
    // session is revoked, and that would be the test's own.
    const loadUser = { email: 'load@opsmesh.test', password: 'copper-meadow-violet-58' };
    const created = await via(0)('POST', '/api/auth/users', token, {
      ...loadUser,
      display_name: 'Load client',
      roles: ['viewer'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const mix: LoadRequest[] = [
      { kind: 'me', method: 'GET', path: '/api/auth/me' },
      { kind: 'models', method: 'GET', path: '/api/ml/models' },
      {
        kind: 'infer',
        method: 'POST',
        path: '/api/ml/v2/models/iris-classifier/infer',
        body: { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }] },
      },
      { kind: 'signals', method: 'GET', path: '/api/monitoring/signals?window=1m' },
      { kind: 'alerts', method: 'GET', path: '/api/monitoring/alerts' },
      { kind: 'chat', method: 'POST', path: '/api/chatops/messages', body: { text: 'list models' } },
      { kind: 'runs', method: 'GET', path: '/api/chatops/runs?limit=1' },
    ];
    load = startMixedLoad({
      gateways: live,
      workers: 3,
      pauseMs: 60,
      token: () => token,
      mix: (n) =>
        // Every eighth request is a login, from an address of its own (the login limit is per address).
        n % 8 === 7
          ? {
              kind: 'login',
              method: 'POST',
              path: '/api/auth/login',
              body: loadUser,
              headers: { 'x-forwarded-for': clientAddress() },
            }
          : mix[n % mix.length]!,
    });
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    await cluster?.stop();
    await slack?.close();
    await new Promise((r) => hook?.close(r));
  }, 60_000);

  it('lists both replicas of every service and both gateways in etcd, ready, on the monitoring view', async () => {
    const want = Object.fromEntries(
      [...BACKENDS, 'gateway'].map((s) => [
        s,
        replicasOf(s)
          .map((r) => r.url)
          .sort(),
      ]),
    );
    for (const service of Object.keys(want))
      expect((await cluster.listed(service)).sort()).toEqual(want[service]);
    const view = await eventually(
      () => via(1)('GET', '/api/monitoring/services', token),
      (r) =>
        r.status === 200 &&
        Object.keys(want).every((s) => {
          const row = r.body.services.find((x: { name: string }) => x.name === s);
          return row?.replicas.ready === 2 && row.replicas.up === 2;
        }),
      30_000,
    );
    const gateways = view.value.body.services.find((x: { name: string }) => x.name === 'gateway');
    expect(gateways, cluster.output()).toMatchObject({ replicas: { total: 2, up: 2, ready: 2 } });
  }, 60_000);

  it('serves a model uploaded through one replica from the other, and an alias move from both within 2 s', async () => {
    const [a, b] = replicasOf('ml-service') as [Replica, Replica];
    const file = readFileSync(join(REPO_ROOT, 'services/ml-service/models/iris-classifier.onnx'));
    const up = await fetch(`${a.url}/models/iris-classifier/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: file,
    });
    const version = ((await up.json()) as { version: number }).version;
    expect(up.status).toBe(201);
    const infer = (r: Replica, path: string) =>
      direct(r)('POST', path, token, {
        inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: [6.7, 3.0, 5.2, 2.3] }],
      });
    const onB = await infer(b, `/v2/models/iris-classifier/versions/${version}/infer`);
    expect(onB.status, JSON.stringify(onB.body)).toBe(200);
    expect(onB.body.model_version).toBe(String(version));

    const moved = await direct(a)('PUT', '/models/iris-classifier/aliases/production', token, { version });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    for (const r of [a, b]) {
      const served = await eventually(
        () => infer(r, '/v2/models/iris-classifier/infer'),
        (res) => res.body?.model_version === String(version),
        2000,
      );
      expect(served.value.body.model_version, `${r.url} after ${served.ms} ms`).toBe(String(version));
    }
  }, 60_000);

  it('locks an account out on every auth replica after five failed logins spread over both', async () => {
    const email = `lockout-${Date.now()}@opsmesh.test`;
    const password = 'the-right-password-1234';
    const created = await via(0)('POST', '/api/auth/users', token, {
      email,
      password,
      display_name: 'Lockout probe',
      roles: ['viewer'],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const auth = replicasOf('auth-service');
    const attempt = async (r: Replica, pw: string): Promise<JsonAnswer> => {
      const res = await fetch(`${r.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress() },
        body: JSON.stringify({ email, password: pw }),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    };
    for (let i = 0; i < 5; i++) expect((await attempt(auth[i % 2]!, 'wrong-password-9876')).status).toBe(401);
    for (const r of auth) {
      const locked = await attempt(r, password);
      expect(locked.status, `${r.url}: ${JSON.stringify(locked.body)}`).toBe(429);
      expect(locked.body.code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    }
  }, 60_000);

  it('holds the login rate limit (10 a minute per address) across both gateways', async () => {
    const address = clientAddress();
    const codes: Array<string | number> = [];
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${cluster.gateways[i % 2]}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ email: `nobody-${i}@opsmesh.test`, password: 'not-a-password-1' }),
      });
      const body = (await res.json()) as { code?: string };
      codes.push(body.code === 'GATEWAY_RATE_LIMITED' ? 429 : res.status);
    }
    // Ten answered by auth (each gateway saw only five), then refused by whichever gateway.
    expect(codes.slice(0, 10).filter((c) => c === 429)).toEqual([]);
    expect(codes.slice(10)).toEqual([429, 429]);
  }, 60_000);

  it('confirms on one ChatOps replica a change asked on the other, and runs a Slack retry once', async () => {
    const [a, b] = replicasOf('chatops-service') as [Replica, Replica];
    const asked = await direct(a)('POST', '/messages', token, {
      text: 'silence ServiceDown for two hours because scale-out test',
    });
    expect(asked.body.run.outcome, JSON.stringify(asked.body)).toBe('needs_confirmation');
    const code = asked.body.confirmation.code as string;
    const confirmed = await direct(b)('POST', '/messages', token, { text: `confirm ${code}` });
    expect(confirmed.body.run, JSON.stringify(confirmed.body)).toMatchObject({
      intent: 'alerts.silence',
      outcome: 'succeeded',
    });
    const silences = await via(0)('GET', '/api/monitoring/silences', token);
    expect(JSON.stringify(silences.body)).toContain('scale-out test');
    expect((await direct(a)('POST', '/messages', token, { text: `confirm ${code}` })).body.run.outcome).toBe(
      'failed',
    );

    const me = await via(1)('GET', '/api/auth/me', token);
    const link = { platform: 'slack', teamId: 'T1', chatUserId: 'U_SCALE', subject: me.body.id };
    expect((await via(0)('POST', '/api/chatops/links', token, link)).status).toBe(201);
    const event = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      event_id: `EvScale${Date.now()}`,
      event: {
        type: 'app_mention',
        user: 'U_SCALE',
        text: '<@UBOT> who am i',
        channel: 'C_SCALE',
        ts: '1.1',
      },
    });
    // Slack signs a retry anew, with the time it sends it: one second later here.
    const post = (r: Replica, later = 0, extra: Record<string, string> = {}) => {
      const ts = String(Math.floor(Date.now() / 1000) + later);
      const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${event}`).digest('hex')}`;
      return fetch(`${r.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signature,
          ...extra,
        },
        body: event,
      }).then((res) => res.json());
    };
    expect(await post(a)).toEqual({ ok: true });
    expect(await post(b, 1, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).toEqual({
      ok: true,
      duplicate: true,
    });
    const replies = () => slack.to('/api/chat.postMessage').filter((p) => p.body['channel'] === 'C_SCALE');
    expect((await eventually(replies, (r) => r.length > 0, 15_000)).value).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(replies()).toHaveLength(1);
  }, 60_000);

  /** Kills `victim`, waits until etcd and both gateways have dropped it, and records the phase. */
  async function killAndDrop(victim: Replica): Promise<void> {
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    const adminViews = () => Promise.all(live.map((g) => jsonCaller(g)('GET', '/admin/upstreams', token)));
    const dropped = await eventually(
      async () => {
        if ((await cluster.listed(victim.service)).includes(victim.url)) return false;
        const views = await adminViews();
        return views.every((v) =>
          (v.body?.upstreams?.[victim.service] ?? []).every(
            (i: { url: string; available: boolean }) => i.url !== victim.url || !i.available,
          ),
        );
      },
      Boolean,
      45_000,
    );
    expect(dropped.value, `${victim.service}#${victim.index} still in rotation\n${cluster.output()}`).toBe(
      true,
    );
    // Every process reads discovery through a cache of one second.
    phases.push({ service: victim.service, victim: victim.url, killedAt, outAt: Date.now() + 1500 });
  }

  it('keeps serving while one replica of each service is killed in turn and brought back', async () => {
    const restarts: Promise<void>[] = [];
    for (const service of ['auth-service', 'ml-service', 'chatops-service']) {
      const victim = replicasOf(service)[0]!;
      await killAndDrop(victim);
      await new Promise((r) => setTimeout(r, 3000));
      restarts.push(victim.restart());
    }
    await Promise.all(restarts);
    for (const service of ['auth-service', 'ml-service', 'chatops-service']) {
      expect((await cluster.listed(service)).length, service).toBe(2);
    }
  }, 150_000);

  it('keeps serving through the other gateway while one is killed, and shows each replica on the monitoring view', async () => {
    const gateway = replicasOf('gateway')[0]!;
    // The last gateway entry seen, to tell in a failure which instance lagged and why.
    let seen: unknown;
    const gatewayRow = async () => {
      seen = (await via(1)('GET', '/api/monitoring/services', token)).body.services.find(
        (s: { name: string }) => s.name === 'gateway',
      );
      return (seen as { replicas?: { total: number; up: number; ready: number } } | undefined)?.replicas;
    };
    // The load balancer's own health check takes it out as it dies; requests in flight fail.
    live.splice(live.indexOf(gateway.url), 1);
    await killAndDrop(gateway);
    // Scrapes (up) and readiness polls (ready) run as separate tasks on each monitoring replica,
    // and either replica may answer: wait for the whole row, not for part of it.
    const row = (n: number) => (r: { total: number; up: number; ready: number } | undefined) =>
      r?.total === n && r.up === n && r.ready === n;
    const one = await eventually(gatewayRow, row(1), 15_000);
    expect(one.value, JSON.stringify(seen)).toEqual({ total: 1, up: 1, ready: 1 });
    await gateway.restart();
    live.push(gateway.url);
    const both = await eventually(gatewayRow, row(2), 20_000);
    expect(both.value, JSON.stringify(seen)).toEqual({ total: 2, up: 2, ready: 2 });
  }, 90_000);

  it('notifies once for a rule firing while the evaluator is killed mid-group', async () => {
    const rule = await via(0)('POST', '/api/monitoring/rules', token, {
      name: 'ScaleOutProbe',
      expr: { kind: 'series', selector: 'up{service="gateway"}', function: 'value' },
      op: '>=',
      threshold: 0,
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const firing = await eventually(
      () => via(1)('GET', '/api/monitoring/alerts', token),
      (r) =>
        r.body?.alerts?.some(
          (x: { alertname: string; state: string }) =>
            x.alertname === 'ScaleOutProbe' && x.state === 'firing',
        ),
      30_000,
    );
    expect(firing.value.status).toBe(200);
    const view = await via(0)('GET', '/api/monitoring/services', token);
    const monitoring = view.body.services.find((s: { name: string }) => s.name === 'monitoring-service');
    const evaluatorUrl = monitoring.instances.find((i: { role?: string }) => i.role === 'evaluator')?.url;
    const evaluator = replicasOf('monitoring-service').find((r) => r.url === evaluatorUrl);
    expect(evaluator, JSON.stringify(monitoring)).toBeDefined();
    const probes = () =>
      delivered.filter(
        (d) => d.status === 'firing' && d.alerts.some((x) => x.labels['alertname'] === 'ScaleOutProbe'),
      );
    // Mid-group: the alert fires, its group waits GROUP_WAIT before the first notification.
    expect(probes()).toEqual([]);
    await killAndDrop(evaluator!);
    const got = await eventually(probes, (p) => p.length > 0, (GROUP_WAIT_S + 40) * 1000);
    expect(got.value.length, cluster.output()).toBe(1);
    // A few more evaluation and delivery cycles of the new evaluator: still exactly one.
    await new Promise((r) => setTimeout(r, 4000));
    expect(probes()).toHaveLength(1);
    const other = replicasOf('monitoring-service').find((r) => r !== evaluator)!;
    const roles = await via(1)('GET', '/api/monitoring/services', token);
    const now = roles.body.services.find((s: { name: string }) => s.name === 'monitoring-service');
    expect(now.instances.find((i: { url: string }) => i.url === other.url)?.role).toBe('evaluator');
    await evaluator!.restart();
  }, 150_000);

  it('fails no idempotent request once the dead replica is out of rotation', async () => {
    await new Promise((r) => setTimeout(r, 2000));
    await load.stop();
    const samples = load.samples;
    const ordered = [...phases].sort((x, y) => x.killedAt - y.killedAt);
    const first = ordered[0]?.killedAt ?? Number.POSITIVE_INFINITY;
    const rows = ordered.map((p, i) => {
      const next = ordered[i + 1]?.killedAt ?? Number.POSITIVE_INFINITY;
      const before = samples.filter((s) => failed(s) && s.end >= p.killedAt && s.end < p.outAt);
      const after = samples.filter((s) => s.start >= p.outAt && s.end < next);
      return {
        killed: `${p.service} ${p.victim}`,
        outOfRotationS: ((p.outAt - p.killedAt) / 1000).toFixed(1),
        failedBefore: before.length,
        failedBeforeIdempotent: before.filter((s) => s.idempotent).length,
        requestsAfter: after.length,
        failedAfter: after.filter(failed).length,
        failedAfterIdempotent: after.filter((s) => failed(s) && s.idempotent),
      };
    });
    const baseline = samples.filter((s) => s.end < first);
    const tooMany = samples.filter((s) => s.status === 429);
    console.log(
      `scale-out load: ${samples.length} requests through ${cluster.gateways.length} gateways, ` +
        `${samples.filter(failed).length} failed in all\n` +
        rows
          .map(
            (r) =>
              `  kill ${r.killed}: out of rotation after ${r.outOfRotationS} s; failed before ${r.failedBefore} ` +
              `(${r.failedBeforeIdempotent} idempotent); after: ${r.failedAfter} of ${r.requestsAfter} ` +
              `(${r.failedAfterIdempotent.length} idempotent)`,
          )
          .join('\n'),
    );
    expect(samples.length).toBeGreaterThan(100);
    expect(baseline.filter(failed), 'failures before any kill').toEqual([]);
    expect(
      tooMany.map((s: LoadSample) => `${s.kind} ${s.error}`),
      'the load stays under the limits',
    ).toEqual([]);
    for (const r of rows) expect(r.failedAfterIdempotent, r.killed).toEqual([]);
  }, 60_000);
});
