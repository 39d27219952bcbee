// One path form for matching, plugins and the upstream: encodings of the login path all hit
// the login route and its per-address limit; ambiguous encodings are refused with 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoSetup, echoSetup, rawRequest, type TestGateway } from './helpers.js';

let setup: EchoSetup;
let gw: TestGateway;
let auth: Record<string, string>;

beforeAll(async () => {
  setup = await echoSetup();
  gw = await setup.gateway();
  auth = { authorization: `Bearer ${await setup.identity.token({ roles: ['viewer'] })}` };
});

afterAll(async () => {
  await setup?.close();
});

const LOGIN_FORMS = [
  '/api/auth/%6cogin',
  '/api/auth/%6C%6F%67%69%6E',
  '/api/auth/./login',
  '/api/auth/%2e/login',
  '/api//auth//login',
  '/api/ml/../auth/login',
  '/api/ml/%2e%2e/auth/login',
  '/api/ml/%2E%2e/auth/login/',
  '/api/x/y/../../auth/login',
  '/api/auth/login/.',
];

describe('path normalisation', () => {
  it('sends every encoding of the login path through the login route and its rate limit', async () => {
    const post = (path: string) =>
      rawRequest(gw.url, path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
    const first = await post(LOGIN_FORMS[0]!);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ path: '/login' });
    expect(JSON.parse(first.body).headers['x-opsmesh-route']).toBe('auth-login');
    const answers = [];
    for (const path of LOGIN_FORMS.slice(1)) {
      const res = await post(path);
      answers.push({
        path,
        status: res.status,
        route: res.status === 200 ? JSON.parse(res.body).headers['x-opsmesh-route'] : undefined,
      });
    }
    // The limit is 3 a minute per address: two more pass, all others are refused.
    expect(answers.slice(0, 2)).toEqual([
      { path: LOGIN_FORMS[1], status: 200, route: 'auth-login' },
      { path: LOGIN_FORMS[2], status: 200, route: 'auth-login' },
    ]);
    for (const a of answers.slice(2)) expect(a).toMatchObject({ status: 429 });
  });

  it('sends the upstream the normal form of the path, query untouched', async () => {
    const res = await rawRequest(gw.url, '/api/ml/v2/%6dodels/./a/../iris%3ax?q=%2e%2e&r=%2F', {
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ path: '/v2/models/iris%3Ax', query: '?q=%2e%2e&r=%2F' });
  });

  it('refuses ambiguous encodings with 400 problem+json saying what to fix', async () => {
    const cases: [string, string][] = [
      ['/api/auth%2flogin', 'encoded "/"'],
      ['/api/auth/login%2F', 'encoded "/"'],
      ['/api/auth%5Clogin', 'encoded "\\"'],
      ['/api/auth\\login', 'backslash'],
      ['/api/auth/%00login', 'NUL'],
      ['/api/auth/%256cogin', 'twice'],
      ['/api/auth/%252e%252e/login', 'twice'],
      ['/api/auth/%C0%AFlogin', 'not UTF-8'],
      ['/api/auth/%ED%A0%80', 'not UTF-8'],
      ['/api/auth/%6', 'two hex digits'],
      ['/api/../../login', 'above the root'],
    ];
    for (const [path, words] of cases) {
      const res = await rawRequest(gw.url, path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = JSON.parse(res.body);
      expect(problem).toMatchObject({ code: 'GATEWAY_BAD_PATH', status: 400, requestId: expect.any(String) });
      expect(problem.detail).toContain(words);
    }
  });

  it("gives the gateway's own routes the same normal form", async () => {
    expect((await rawRequest(gw.url, '/health/%6Cive')).status).toBe(200);
    expect((await rawRequest(gw.url, '/api/../health/./live')).status).toBe(200);
    expect((await rawRequest(gw.url, '//metrics')).status).toBe(200);
    expect((await rawRequest(gw.url, '/admin/%2e%2e/admin/config')).status).toBe(401);
  });
});

const INTERNAL = [
  '/api/ml/metrics',
  '/api/ml/metrics/',
  '/api/ml/%6Detrics',
  '/api/ml/./metrics',
  '/api/ml//metrics',
  '/api/ml/x/../metrics',
  '/api/ml/METRICS',
  '/api/ml/health',
  '/api/ml/health/ready',
  '/api/ml/health/live/',
  '/api/ml/%68ealth/ready?verbose=1',
  '/api/auth/health/ready',
  '/api/auth/metrics',
  '/api/ml/v1/traces',
  '/api/ml/v1/%74races/',
];

// A service's /metrics, /health/* and /v1/traces answer anyone who reaches the service: for the
// platform's scrapers, probes and span exporters inside the network, never through a route.
describe('service-internal endpoints through the gateway', () => {
  it('answers every spelling of /metrics, /health/* and /v1/traces with a 404 problem, never the upstream', async () => {
    for (const path of INTERNAL) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const res = await rawRequest(gw.url, path, { method, headers: auth });
        expect({ path, method, status: res.status }).toEqual({ path, method, status: 404 });
        if (method === 'HEAD') continue;
        expect(res.headers['content-type']).toContain('application/problem+json');
        const problem = JSON.parse(res.body);
        expect(problem).toMatchObject({ status: 404, code: 'GATEWAY_INTERNAL_PATH' });
        expect(problem.detail).toContain('health, metrics or span-receiver endpoint');
        expect(res.body).not.toContain('process_cpu');
      }
    }
  });

  it('still routes paths that only begin alike', async () => {
    for (const path of [
      '/api/ml/metricsx',
      '/api/ml/healthy',
      '/api/ml/models/health',
      '/api/ml/models/metrics',
      '/api/ml/v1/traces/x',
    ]) {
      const res = await rawRequest(gw.url, path, { headers: auth });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(JSON.parse(res.body).path).toBe(path.slice('/api/ml'.length));
    }
  });
});
