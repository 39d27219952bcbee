// The whole platform as processes (the kit's supervisor starts each service), used through
// the gateway only.
import { SYSTEM_ADMIN as ADMIN, jsonCaller, type RunningSystem, startSystem } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenApiDoc, operationsWithoutSummary } from '../src/docs/merge-openapi.js';

describe('the platform through the gateway', () => {
  let system: RunningSystem;
  let gateway: string;

  beforeAll(async () => {
    system = await startSystem();
    gateway = system.gateway;
  }, 400_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  const call = (...args: Parameters<ReturnType<typeof jsonCaller>>) => jsonCaller(gateway)(...args);

  it('logs in, calls each service, and refuses as each service says', async () => {
    const login = await call('POST', '/api/auth/login', undefined, ADMIN);
    expect(login.status).toBe(200);
    expect(login.headers.get('ratelimit-policy')).toBe('"minute";q=10;w=60, "hour";q=100;w=3600');
    const admin = login.body.access_token as string;

    expect((await call('GET', '/api/auth/me', admin)).status).toBe(200);
    expect((await call('GET', '/api/ml/models', admin)).status).toBe(200);
    expect((await call('GET', '/api/monitoring/alerts', admin)).status).toBe(200);
    expect((await call('GET', '/api/chatops/runs', admin)).status).toBe(200);
    expect((await call('GET', '/api/auth/.well-known/jwks.json')).status).toBe(200);

    const viewer = { email: 'viewer@opsmesh.test', password: 'staple-lantern-orbit-77' };
    const created = await call('POST', '/api/auth/users', admin, {
      ...viewer,
      display_name: 'Viewer',
      roles: ['viewer'],
    });
    expect(created.status).toBe(201);
    const viewerToken = (await call('POST', '/api/auth/login', undefined, viewer)).body
      .access_token as string;

    const noToken = await call('GET', '/api/ml/models');
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('content-type')).toContain('application/problem+json');
    const forbidden = await call('POST', '/api/ml/models', viewerToken, { name: 'not-allowed' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({
      code: 'FORBIDDEN',
      detail: expect.stringContaining('models:write'),
    });
    const usersDenied = await call('GET', '/api/auth/users', viewerToken);
    expect(usersDenied.status).toBe(403);
  });

  it('documents every operation once, through the gateway, with a summary and one problem schema', async () => {
    const text = await (await fetch(`${gateway}/docs/openapi.json`)).text();
    const doc = JSON.parse(text) as OpenApiDoc;
    expect(doc['x-opsmesh-unavailable']).toEqual([]);
    const paths = Object.keys(doc.paths!);
    expect(paths).toEqual([...paths].sort());
    for (const p of [
      '/api/auth/login',
      '/api/ml/models',
      '/api/monitoring/alerts',
      '/api/chatops/messages',
    ]) {
      expect(paths).toContain(p);
    }
    expect(operationsWithoutSummary(doc)).toEqual([]);
    // The problem's shape is written out once, in components; every error answer refers to it.
    const shapes: unknown[] = [];
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object') return;
      const props = (v as { properties?: object }).properties;
      if (props && 'requestId' in props && 'instance' in props && 'code' in props) shapes.push(v);
      for (const inner of Object.values(v)) walk(inner);
    };
    walk(doc);
    expect(shapes).toHaveLength(1);
    expect(text.match(/"#\/components\/schemas\/Problem"/g)!.length).toBeGreaterThan(100);
    expect(await (await fetch(`${gateway}/docs/openapi.json`)).text()).toBe(text);
  });

  it('names the paths a caller uses through the gateway, and lists allowed values', async () => {
    const admin = (await call('POST', '/api/auth/login', undefined, ADMIN)).body.access_token as string;
    const missing = await call('GET', '/api/ml/models/no-such-model', admin);
    expect(missing.status).toBe(404);
    expect(missing.body.instance).toBe('/api/ml/models/no-such-model');
    expect(missing.body.detail).toContain('GET /api/ml/models lists them');
    const state = await call('GET', '/api/monitoring/alerts?state=burning', admin);
    expect(state.status).toBe(400);
    expect(state.body.detail).toBe('querystring.state must be one of "pending", "firing", "resolved"');
  });
});
