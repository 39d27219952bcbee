import { generateKeyPairSync } from 'node:crypto';
import {
  createTestIdentity,
  runAuthMatrix,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './helpers/http.js';
import { INFER_PATHS, startTestApp, type TestApp } from './helpers/test-app.js';

/** The shared auth matrix, run against every protected route of the service. */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const routes: { method: Method; url: string; permission: string; body?: unknown; v2?: boolean }[] = [
  { method: 'GET', url: '/models', permission: 'models:read' },
  { method: 'POST', url: '/models', permission: 'models:write', body: { name: 'm1' } },
  { method: 'GET', url: '/models/iris-classifier', permission: 'models:read' },
  { method: 'PATCH', url: '/models/iris-classifier', permission: 'models:write', body: { description: 'x' } },
  { method: 'DELETE', url: '/models/iris-classifier', permission: 'models:admin' },
  { method: 'GET', url: '/models/iris-classifier/versions', permission: 'models:read' },
  { method: 'POST', url: '/models/iris-classifier/versions', permission: 'models:write' },
  { method: 'GET', url: '/models/iris-classifier/versions/1', permission: 'models:read' },
  { method: 'DELETE', url: '/models/iris-classifier/versions/1', permission: 'models:admin' },
  { method: 'GET', url: '/models/iris-classifier/aliases', permission: 'models:read' },
  {
    method: 'PUT',
    url: '/models/iris-classifier/aliases/staging',
    permission: 'models:write',
    body: { version: 1 },
  },
  { method: 'DELETE', url: '/models/iris-classifier/aliases/staging', permission: 'models:write' },
  { method: 'POST', url: '/models/iris-classifier/aliases/production/rollback', permission: 'models:write' },
  { method: 'GET', url: '/models/iris-classifier/aliases/production/history', permission: 'models:read' },
  {
    method: 'POST',
    url: '/models/iris-classifier/predict',
    permission: 'models:read',
    body: { instances: [[1, 2, 3, 4]] },
  },
  { method: 'GET', url: '/models/iris-classifier/predictions', permission: 'models:read' },
  { method: 'GET', url: '/v2/models/iris-classifier', permission: 'models:read', v2: true },
  { method: 'GET', url: '/v2/models/iris-classifier/versions/1', permission: 'models:read', v2: true },
  { method: 'GET', url: '/v2/models/iris-classifier/ready', permission: 'models:read', v2: true },
  { method: 'GET', url: '/v2/models/iris-classifier/versions/1/ready', permission: 'models:read', v2: true },
  {
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    permission: 'models:read',
    body: { inputs: [] },
    v2: true,
  },
  {
    method: 'POST',
    url: '/v2/models/iris-classifier/versions/1/infer',
    permission: 'models:read',
    body: { inputs: [] },
    v2: true,
  },
  { method: 'POST', url: '/v2/repository/index', permission: 'models:read', body: {}, v2: true },
  { method: 'POST', url: '/v2/repository/models/iris-classifier/load', permission: 'models:write', v2: true },
  {
    method: 'POST',
    url: '/v2/repository/models/iris-classifier/unload',
    permission: 'models:write',
    v2: true,
  },
];

const roleFor: Record<string, { allowed: string; denied: string }> = {
  'models:read': { allowed: 'viewer', denied: 'none' },
  'models:write': { allowed: 'operator', denied: 'viewer' },
  'models:admin': { allowed: 'admin', denied: 'operator' },
};

const target = (await testDatabaseTargets())[0]!;

for (const lean of INFER_PATHS) {
  describe(`auth matrix on every protected route (lean infer ${lean})`, () => {
    let identity: TestIdentity;
    let database: TestDatabase;
    let t: TestApp;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      identity = await createTestIdentity();
      database = await target.create();
      t = await startTestApp({ identity, database, env: { ML_LEAN_INFER: lean } });
      tokens['expired'] = await identity.token({ roles: ['admin'], expiresIn: -60 });
      const other = await createTestIdentity({ audience: 'someone-else' });
      tokens['wrongAudience'] = await identity
        .token({ roles: ['admin'] })
        .then(() => other.token({ roles: ['admin'] }));
      await other.close();
      const { privateKey } = generateKeyPairSync('ed25519');
      tokens['badSignature'] = await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'forged' })
        .setSubject('usr_forged')
        .setIssuer(identity.issuer)
        .setAudience(identity.audience)
        .setExpirationTime('5m')
        .sign(privateKey);
      for (const role of ['viewer', 'operator', 'admin', 'service'])
        tokens[role] = await identity.token({ roles: [role] });
      tokens['none'] = await identity.token({ roles: [] });
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
      await identity?.close();
    });

    const send = (r: (typeof routes)[number], token?: string) => call(t, r.method, r.url, token, r.body);
    const errorOf = (r: (typeof routes)[number], res: Awaited<ReturnType<typeof send>>) =>
      r.v2 ? res.json.error : res.json.detail;

    it.each(routes)('$method $url: 401 without a valid token', async (r) => {
      for (const token of [
        undefined,
        tokens['badSignature'],
        tokens['expired'],
        tokens['wrongAudience'],
        'not-a-jwt',
      ]) {
        const res = await send(r, token);
        expect(res.status, `token ${String(token).slice(0, 12)}`).toBe(401);
        expect(errorOf(r, res)).toEqual(expect.any(String));
      }
    });

    it.each(routes)('$method $url: 403 naming $permission for a role without it', async (r) => {
      const res = await send(r, tokens[roleFor[r.permission]!.denied]);
      expect(res.status).toBe(403);
      expect(errorOf(r, res)).toContain(r.permission);
    });

    it.each(routes)('$method $url: passes auth for a role with $permission', async (r) => {
      const res = await send(r, tokens[roleFor[r.permission]!.allowed]);
      expect([401, 403]).not.toContain(res.status);
    });

    it('lets service accounts read and predict, not write', async () => {
      expect(
        (
          await call(t, 'POST', '/models/iris-classifier/predict', tokens['service'], {
            instances: [[1, 2, 3, 4]],
          })
        ).status,
      ).toBe(200);
      expect(
        (await call(t, 'PUT', '/models/iris-classifier/aliases/x', tokens['service'], { version: 1 })).status,
      ).toBe(403);
    });

    it('checks credentials before parameters, query and body on every guarded route (shared matrix)', async () => {
      const { checked, failures } = await runAuthMatrix({
        app: t.app,
        token: (roles) => identity.token({ roles }),
        ownErrorBody: (url) => url.startsWith('/v2/'),
      });
      expect(checked.length).toBeGreaterThanOrEqual(routes.length);
      expect(failures).toEqual([]);
    });
  });
}
