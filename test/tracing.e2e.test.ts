// One ChatOps message through the gateway, on the whole platform started as processes (each with
// `--import @opsmesh/shared/register`, as `npm start` runs them), becomes ONE trace: gateway,
// chatops, auth (token exchange for the linked Slack user), monitoring (signals) and ml
// (prediction, model run, database), each span under the right parent. Checked twice: through the monitoring service's built-in
// trace store (OTLP protobuf) and through a raw OTLP/JSON receiver standing in for a collector.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningSystem, SYSTEM_ADMIN, startSystem } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  service: string;
  attributes: Record<string, unknown>;
}

interface StoredSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  service: string;
  attributes: Record<string, unknown>;
}

const SERVICES = ['auth-service', 'chatops-service', 'gateway', 'ml-service', 'monitoring-service'];
const SLACK_SECRET = 'tracing-e2e-signing-secret';

/** A collector stand-in: decodes OTLP/JSON export requests as the protocol defines them. */
function rawReceiver(spans: RawSpan[]): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const doc = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of doc.resourceSpans ?? []) {
        const attrs = rs.resource?.attributes ?? [];
        const service = attrs.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || null,
              name: s.name,
              kind: s.kind,
              service,
              attributes: Object.fromEntries(
                (s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [
                  a.key,
                  Object.values(a.value)[0],
                ]),
              ),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
}

/** Asserts each span's parent chain reaches `ancestor` and returns the chain's names. */
function chain(spans: StoredSpan[], spanId: string): StoredSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const out: StoredSpan[] = [];
  let at = byId.get(spanId);
  while (at && out.length < 50) {
    out.push(at);
    at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined;
  }
  return out;
}

describe('one trace across every service', () => {
  let system: RunningSystem;
  let receiver: Server;
  const raw: RawSpan[] = [];
  let token: string;

  beforeAll(async () => {
    receiver = rawReceiver(raw);
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    system = await startSystem({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OPSMESH_TRACE_EXPORT: 'both',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      SCRAPE_INTERVAL: '1s',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_INLINE_BUDGET_MS: '2800',
    });
    const login = await fetch(`${system.gateway}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SYSTEM_ADMIN),
    });
    token = ((await login.json()) as { access_token: string }).access_token;
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
    await new Promise((r) => receiver?.close(r));
  }, 60_000);

  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${system.gateway}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
  };

  it('answers a console message with the trace id of its command', async () => {
    const res = await api('POST', '/api/chatops/messages', { text: 'list models' });
    expect(res.status).toBe(200);
    expect(res.body['traceId']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('joins gateway, chatops, auth, monitoring and ml spans under the right parents', async () => {
    // A Slack user linked to the admin: chatops acts as them through auth's token exchange.
    const me = await api('GET', '/api/auth/me');
    const link = { platform: 'slack', teamId: 'T1', chatUserId: 'U1', subject: me.body['id'] };
    expect((await api('POST', '/api/chatops/links', link)).status).toBe(201);
    const form = new URLSearchParams({
      team_id: 'T1',
      user_id: 'U1',
      channel_id: 'C1',
      command: '/ops',
      text: 'predict iris-classifier 5.1 3.5 1.4 0.2',
    }).toString();
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${ts}:${form}`).digest('hex')}`;
    const res = await fetch(`${system.gateway}/api/chatops/slack/commands`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature,
      },
      body: form,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { text: string };
    expect(answer.text).toContain('iris-classifier');
    expect(answer.text).toContain('predicts');
    const requestId = res.headers.get('x-request-id')!;

    // The built-in store, read through the gateway as the console reads it.
    const get = (path: string) => api('GET', `/api/monitoring${path}`);
    let spans: StoredSpan[] = [];
    let traceId = '';
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      // The request id the gateway answered with leads to the trace.
      const found = await get(`/traces?requestId=${encodeURIComponent(requestId)}`);
      traceId = (found.body['traces'] as { traceId: string }[] | undefined)?.[0]?.traceId ?? '';
      const one = traceId
        ? await get(`/traces/${traceId}`)
        : { status: 404, body: {} as Record<string, unknown> };
      if (one.status === 200) {
        spans = one.body['spans'] as StoredSpan[];
        const seen = new Set(spans.map((s) => s.service));
        if (SERVICES.every((s) => seen.has(s)) && spans.some((s) => s.name.startsWith('onnx.run'))) break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    expect([...new Set(spans.map((s) => s.service))].sort(), system.output()).toEqual(SERVICES);

    const find = (service: string, pred: (s: StoredSpan) => boolean) => {
      const found = spans.find((s) => s.service === service && pred(s));
      if (!found)
        throw new Error(`no ${service} span like that in ${spans.map((s) => `${s.service}:${s.name}`)}`);
      return found;
    };
    const gatewayServer = find('gateway', (s) => s.kind === 'server');
    expect(gatewayServer.parentSpanId).toBeNull();
    expect(gatewayServer.attributes['opsmesh.request_id']).toBe(requestId);
    const chatServer = find('chatops-service', (s) => s.name === 'POST /slack/commands');
    // The gateway's one span for the proxied request is the parent of chatops' own.
    expect(chain(spans, chatServer.spanId).map((s) => s.service)).toEqual(['chatops-service', 'gateway']);
    expect(chatServer.parentSpanId).toBe(gatewayServer.spanId);
    expect(spans.filter((s) => s.service === 'gateway' && s.kind === 'client')).toEqual([]);
    expect(gatewayServer.attributes).toMatchObject({
      'opsmesh.upstream.name': 'chatops-service',
      'opsmesh.upstream.status_code': 200,
    });
    const command = find('chatops-service', (s) => s.name === 'chatops models.predict');
    expect(command.attributes).toMatchObject({
      'opsmesh.chatops.intent': 'models.predict',
      'opsmesh.chatops.outcome': 'succeeded',
    });
    expect(chain(spans, command.spanId)).toContainEqual(chatServer);

    // auth: the token exchange, called by chatops, with its database work under it.
    const exchange = find('auth-service', (s) => s.name === 'POST /token');
    const exchangeCaller = spans.find((s) => s.spanId === exchange.parentSpanId)!;
    expect(exchangeCaller).toMatchObject({
      service: 'chatops-service',
      kind: 'client',
      name: 'POST auth-service',
    });
    expect(chain(spans, exchangeCaller.spanId)).toContainEqual(chatServer);

    // ml: the prediction under chatops' command, the model run and database queries under it.
    const mlServer = find('ml-service', (s) => s.name === 'POST /models/:name/predict');
    expect(chain(spans, mlServer.spanId)).toContainEqual(command);
    const run = find('ml-service', (s) => s.name.startsWith('onnx.run'));
    expect(run.attributes).toMatchObject({
      'opsmesh.onnx.model': 'iris-classifier',
      'opsmesh.onnx.batch_size': 1,
    });
    expect(run.attributes['opsmesh.onnx.version']).toEqual(expect.any(Number));
    expect(chain(spans, run.spanId)).toContainEqual(mlServer);
    const mlQuery = find('ml-service', (s) => s.attributes['db.system.name'] === 'postgresql');
    expect(chain(spans, mlQuery.spanId)).toContainEqual(mlServer);

    // monitoring: the signals read for the reply, under the same command.
    const signals = find('monitoring-service', (s) => s.name === 'GET /signals');
    expect(chain(spans, signals.spanId)).toContainEqual(command);

    // The raw OTLP receiver got the same trace from every service, with the same parent links.
    const rawTrace = raw.filter((s) => s.traceId === traceId);
    expect([...new Set(rawTrace.map((s) => s.service))].sort()).toEqual(SERVICES);
    const rawMl = rawTrace.find((s) => s.spanId === mlServer.spanId);
    expect(rawMl).toMatchObject({ parentSpanId: mlServer.parentSpanId, kind: 2, service: 'ml-service' });
    const rawRun = rawTrace.find((s) => s.spanId === run.spanId);
    expect(rawRun?.parentSpanId).toBe(run.parentSpanId);
  }, 120_000);
});
