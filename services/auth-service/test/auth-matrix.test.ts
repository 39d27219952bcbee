import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { runAuthMatrix } from '@opsmesh/shared/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  type Harness,
  IN_MEMORY,
  login,
  startAuth,
  userWithRoles,
} from './helpers.js';
import { collectRoutes, concreteUrl, OPEN_ROUTES, type RouteInfo } from './routes.js';

/**
 * The shared auth matrix, run against every protected route: no token, a bad signature, an expired
 * token and a wrong audience are 401; a caller without the permission is 403.
 */
describe('auth matrix over every protected route', () => {
  let h: Harness;
  let routes: RouteInfo[];
  const tokens: Record<string, string> = {};
  let signWithRoles: (roles: string[]) => Promise<string>;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    // A second app over the same deps, to enumerate its routes as registered.
    const probe = buildApp(h.config, h.deps, { processMetrics: false });
    routes = collectRoutes(probe);
    await probe.ready();
    const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    tokens['admin'] = admin.access_token;
    tokens['viewer'] = (await userWithRoles(h.app, admin.access_token, ['viewer'])).access_token;
    const me = JSON.parse(Buffer.from(admin.access_token.split('.')[1]!, 'base64url').toString());
    const row = await h.deps.database.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .executeTakeFirstOrThrow();
    const key: KeyObject = createPrivateKey(row.private_key);
    const now = Math.floor(Date.now() / 1000);
    signWithRoles = (roles) =>
      new SignJWT({ roles, sid: me.sid })
        .setProtectedHeader({ alg: 'EdDSA', kid: row.kid })
        .setSubject(me.sub)
        .setIssuer(h.config.JWT_ISSUER)
        .setAudience(h.config.JWT_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .setJti('r')
        .sign(key);
    const base = () =>
      new SignJWT({ roles: ['admin'], sid: me.sid })
        .setProtectedHeader({ alg: 'EdDSA', kid: row.kid })
        .setSubject(me.sub)
        .setIssuer(h.config.JWT_ISSUER)
        .setJti('m');
    tokens['expired'] = await base()
      .setAudience(h.config.JWT_AUDIENCE)
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 1800)
      .sign(key);
    tokens['wrongAudience'] = await base()
      .setAudience('not-opsmesh')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(key);
    const { privateKey } = generateKeyPairSync('ed25519');
    tokens['badSignature'] = await base()
      .setAudience(h.config.JWT_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
  });
  afterAll(() => h?.close());

  it('checks credentials before parameters, query and body on every guarded route (shared matrix)', async () => {
    const { checked, failures } = await runAuthMatrix({ app: h.app, token: (roles) => signWithRoles(roles) });
    expect(checked.length).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });

  it('found the routes', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  for (const variant of ['none', 'badSignature', 'expired', 'wrongAudience'] as const) {
    it(`answers 401 on every protected route with ${variant === 'none' ? 'no token' : `a token with ${variant}`}`, async () => {
      const failures: string[] = [];
      for (const route of routes) {
        if (OPEN_ROUTES.has(`${route.method} ${route.url}`)) continue;
        const headers = variant === 'none' ? {} : bearer(tokens[variant]!);
        const res = await h.app.inject({
          method: route.method as 'GET',
          url: concreteUrl(route.url),
          headers,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        if (res.statusCode !== 401 || res.json().code !== 'UNAUTHENTICATED')
          failures.push(`${route.method} ${route.url} -> ${res.statusCode}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('answers 403 to a viewer on every admin-only route', async () => {
    const adminOnly = routes.filter((r) => /^\/(users|audit|keys|service-accounts)/.test(r.url));
    expect(adminOnly.length).toBeGreaterThan(8);
    const failures: string[] = [];
    for (const route of adminOnly) {
      const res = await h.app.inject({
        method: route.method as 'GET',
        url: concreteUrl(route.url),
        headers: bearer(tokens['viewer']!),
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      // Credentials are checked before the body: an empty body is still a 403, never a 400.
      if (res.statusCode !== 403) failures.push(`${route.method} ${route.url} -> ${res.statusCode}`);
      if (res.statusCode === 403 && !/permission/.test(res.json().detail))
        failures.push(`${route.url}: detail lacks the permission`);
    }
    expect(failures).toEqual([]);
  });
});
