import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@opsmesh/shared';
import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type INFER_PATHS, startTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The lean infer path against Fastify's route, over real sockets: the same requests to a service
 * with it on and one with it off get the same status, headers and body, and leave the same
 * access lines, rejections and metrics behind. The other test files of the infer routes run
 * against both paths through the server's own listener; this one also checks which path
 * answered, and what only a socket shows (keep-alive, `connection: close` while draining).
 */

const target = (await testDatabaseTargets())[0]!;
const row = [5.1, 3.5, 1.4, 0.2];
const json = (inputs: unknown, extra: object = {}) => JSON.stringify({ inputs, ...extra });
const features = [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: row }];

interface Case {
  name: string;
  path?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** The status both paths answer with, where the case is about it. */
  status?: number;
  /** Whether the lean path answers it itself (else Fastify does). */
  lean: boolean;
  token?: 'viewer' | 'none' | 'powerless';
}

const cases: Case[] = [
  { name: 'a single row', body: json(features), lean: true },
  {
    name: 'a version',
    path: '/v2/models/iris-classifier/versions/1/infer',
    body: json(features),
    lean: true,
  },
  {
    name: 'an id and the outputs asked for',
    body: json(features, { id: 'r1', outputs: [{ name: 'probabilities' }] }),
    lean: true,
  },
  {
    name: 'binary outputs asked in JSON',
    body: json(features, { parameters: { binary_data_output: true } }),
    lean: true,
  },
  {
    name: 'an unknown output (after the run)',
    body: json(features, { outputs: [{ name: 'nope' }] }),
    lean: true,
  },
  { name: 'an unknown model', path: '/v2/models/no-such-model/infer', body: json(features), lean: false },
  {
    name: 'an unknown alias',
    path: '/v2/models/iris-classifier@nope/infer',
    body: json(features),
    lean: false,
  },
  { name: 'a wrong shape', body: json([{ ...features[0], shape: [1, 3], data: [1, 2, 3] }]), lean: false },
  { name: 'invalid JSON', body: '{"inputs": [', lean: false },
  { name: 'a shape Ajv coerces', body: json([{ ...features[0], shape: 4 }]), lean: false },
  { name: 'a NUL in a name', body: json([{ ...features[0], name: 'feat\u0000ures' }]), lean: false },
  { name: 'a prototype key', body: '{"inputs":[],"__proto__":{"x":1}}', lean: false },
  { name: 'no credentials', body: json(features), lean: false, token: 'none' },
  { name: 'no permission', body: json(features), lean: false, token: 'powerless' },
  { name: 'a query string', path: '/v2/models/iris-classifier/infer?x=1', body: json(features), lean: false },
  { name: 'a trailing slash', path: '/v2/models/iris-classifier/infer/', body: json(features), lean: false },
  {
    name: 'a charset parameter',
    body: json(features),
    headers: { 'content-type': 'application/json; charset=utf-8' },
    lean: false,
  },
  { name: 'text/plain', body: json(features), headers: { 'content-type': 'text/plain' }, lean: false },
  { name: 'an empty body', body: '', lean: false },
  {
    name: 'an id that is not UTF-8',
    body: Buffer.from(json(features, { id: 'r\u00ff' }), 'latin1'),
    lean: false,
    status: 400,
  },
  { name: 'a body over the limit', body: json(features, { id: 'x'.repeat(5000) }), lean: false },
  { name: 'a bad model name', path: '/v2/models/Bad%20Name/infer', body: json(features), lean: false },
];

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, agent: Agent, c: Case, requestId: string, token: string | undefined) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: 'POST',
        path: c.path ?? '/v2/models/iris-classifier/infer',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...c.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const { date: _date, ...headers } = res.headers;
          resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks).toString('latin1') });
        });
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

interface Served {
  t: TestApp;
  port: number;
  agent: Agent;
  lines: Record<string, unknown>[];
  /** Requests Fastify's hooks saw, by request id. */
  routed: Set<string>;
}

async function serve(
  lean: (typeof INFER_PATHS)[number],
  identity: TestIdentity,
  database: TestDatabase,
): Promise<Served> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const routed = new Set<string>();
  const t = await startTestApp({
    identity,
    database,
    env: { ML_LEAN_INFER: lean, ML_INFER_BODY_LIMIT: '4096' },
    logger: createLogger({ service: 'ml-service', level: 'info', destination: sink }),
    beforeReady: (app) =>
      app.addHook('onRequest', async (r) => {
        routed.add(String(r.id));
      }),
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    t,
    port: (t.app.server.address() as AddressInfo).port,
    agent: new Agent({ keepAlive: true }),
    lines,
    routed,
  };
}

/** A log line with what differs between two processes or two runs left out. */
function comparable(line: Record<string, unknown>) {
  const { time: _t, pid: _p, durationMs: _d, ...rest } = line;
  return rest;
}

/** The request and inference counters of the infer routes, from the Prometheus text. */
async function counters(t: TestApp): Promise<string[]> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  return text
    .split('\n')
    .filter(
      (l) =>
        (l.startsWith('http_requests_total{') && l.includes('/infer')) ||
        l.startsWith('ml_inference_requests_total{') ||
        (l.startsWith('http_request_duration_seconds_count{') && l.includes('/infer')) ||
        l.startsWith('ml_inference_duration_seconds_count{'),
    )
    .sort();
}

describe('the lean infer path answers as the Fastify route does', () => {
  let identity: TestIdentity;
  let database: TestDatabase;
  let otherDatabase: TestDatabase;
  let on: Served;
  let off: Served;
  const tokens: Record<string, string | undefined> = {};

  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await target.create();
    otherDatabase = await target.create();
    [on, off] = await Promise.all([serve('on', identity, database), serve('off', identity, otherDatabase)]);
    tokens['viewer'] = await identity.token({ roles: ['viewer'] });
    tokens['powerless'] = await identity.token({ roles: [] });
    // A credential the service has not verified yet goes to Fastify, which verifies it: the
    // first request primes each service, as a client's first request does.
    for (const s of [on, off]) {
      const first = await send(s.port, s.agent, cases[0]!, 'first', tokens['viewer']);
      expect(first.status, first.body).toBe(200);
      expect(s.routed.has('first')).toBe(true);
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of [on, off]) {
      s?.agent.destroy();
      await s?.t.close();
    }
    await database?.drop();
    await otherDatabase?.drop();
    await identity?.close();
  });

  it.each(cases)('$name: the same answer', async (c) => {
    const token = tokens[c.token ?? 'viewer'];
    const id = `req-${c.name.replaceAll(/[^a-z]+/g, '-')}`;
    const [a, b] = [
      await send(on.port, on.agent, c, id, token),
      await send(off.port, off.agent, c, id, token),
    ];
    expect(a, c.name).toEqual(b);
    if (c.status) expect(a.status, a.body).toBe(c.status);
    if (c.lean) expect(a.status, a.body).toBeLessThan(500);
    expect(
      on.routed.has(id),
      `${c.name}: answered by ${on.routed.has(id) ? 'Fastify' : 'the lean path'}`,
    ).toBe(!c.lean);
    expect(off.routed.has(id)).toBe(true);
  });

  it('closes keep-alive connections once draining, on both paths', async () => {
    const c = cases[0]!;
    for (const s of [on, off]) s.t.app.draining = true;
    try {
      const [a, b] = [
        await send(on.port, on.agent, c, 'req-draining', tokens['viewer']),
        await send(off.port, off.agent, c, 'req-draining', tokens['viewer']),
      ];
      expect(a).toEqual(b);
      expect(a.headers['connection']).toBe('close');
    } finally {
      for (const s of [on, off]) s.t.app.draining = false;
    }
  });

  it('leaves the same access lines, rejections and metrics', async () => {
    const ofRequests = (s: Served) =>
      s.lines
        .filter((l) => typeof l['requestId'] === 'string' && String(l['requestId']).startsWith('req-'))
        .map(comparable)
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    const lines = ofRequests(on);
    expect(lines.length).toBeGreaterThan(cases.length);
    expect(lines).toEqual(ofRequests(off));
    expect(await counters(on.t)).toEqual(await counters(off.t));
  });
});
