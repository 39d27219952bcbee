import { createService, remoteAuthenticator, requireAuth, type ServiceApp } from '@opsmesh/shared';
import { eventually, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  type Harness,
  login,
  startAuth,
  userWithRoles,
} from './helpers.js';

/**
 * Revocations reach another service within 2 s: a service built from the shared kit, as every
 * service is, authenticating through the auth service it reaches over HTTP (JWKS, API-key
 * introspection and the revocation feed).
 */

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`revocations reach other services (${target.name})`, () => {
    let auth: Harness;
    let drop: () => Promise<void>;
    let downstream: ServiceApp;
    let adminToken: string;

    beforeAll(async () => {
      const db = await target.create();
      drop = db.drop;
      auth = await startAuth(db);
      const authUrl = await auth.app.listen({ port: 0, host: '127.0.0.1' });
      downstream = createService({
        name: 'downstream',
        version: '0.0.0',
        logLevel: 'silent',
        processMetrics: false,
        // Cached API-key answers would otherwise be believed for 60 s.
        authenticator: remoteAuthenticator({
          authUrl,
          issuer: 'opsmesh-auth',
          audience: 'opsmesh',
          apiKeyTtlMs: 60_000,
        }),
      });
      downstream.get('/whoami', { onRequest: requireAuth() }, async (r) => ({
        subject: r.identity!.subject,
      }));
      await downstream.ready();
      adminToken = (await login(auth.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
    });
    afterAll(async () => {
      // The auth service first: its long polls answer as it drains, and the follower then stops.
      await auth?.close();
      await downstream?.close();
      await drop?.();
    });

    const whoami = (headers: Record<string, string>) =>
      downstream.inject({ url: '/whoami', headers }).then((r) => r.statusCode);

    async function apiKeyOf(token: string): Promise<{ id: string; key: string }> {
      const res = await auth.app.inject({
        method: 'POST',
        url: '/api-keys',
        headers: bearer(token),
        payload: { name: 'k', permissions: ['models:read'], expires_in_days: 1 },
      });
      expect(res.statusCode).toBe(201);
      return { id: res.json().id, key: res.json().key };
    }

    it("refuses a disabled user's access token and API key within 2 s, and accepts new ones once enabled", async () => {
      const user = await userWithRoles(auth.app, adminToken, ['operator']);
      const { key } = await apiKeyOf(user.access_token);
      expect(await whoami(bearer(user.access_token))).toBe(200);
      expect(await whoami({ 'x-api-key': key })).toBe(200); // now cached downstream for 60 s

      const disabled = await auth.app.inject({
        method: 'POST',
        url: `/users/${user.id}/disable`,
        headers: bearer(adminToken),
      });
      expect(disabled.statusCode).toBe(200);
      const token = await eventually(
        () => whoami(bearer(user.access_token)),
        (s) => s === 401,
      );
      expect(token.value).toBe(401);
      const viaKey = await eventually(
        () => whoami({ 'x-api-key': key }),
        (s) => s === 401,
      );
      expect(viaKey.value).toBe(401);
      expect(token.ms + viaKey.ms).toBeLessThan(2000);

      await auth.app.inject({ method: 'POST', url: `/users/${user.id}/enable`, headers: bearer(adminToken) });
      await new Promise((r) => setTimeout(r, 1100)); // a fresh token has a later iat (whole seconds)
      const again = await login(auth.app, user.email, user.password);
      expect(await whoami(bearer(again.access_token))).toBe(200);
    });

    it('refuses a revoked API key and a logged-out session within 2 s', async () => {
      const user = await userWithRoles(auth.app, adminToken, ['viewer']);
      const { id, key } = await apiKeyOf(user.access_token);
      expect(await whoami({ 'x-api-key': key })).toBe(200);
      const revoked = await auth.app.inject({
        method: 'DELETE',
        url: `/api-keys/${id}`,
        headers: bearer(user.access_token),
      });
      expect(revoked.statusCode).toBe(204);
      expect(
        (
          await eventually(
            () => whoami({ 'x-api-key': key }),
            (s) => s === 401,
          )
        ).value,
      ).toBe(401);

      expect(await whoami(bearer(user.access_token))).toBe(200);
      await auth.app.inject({
        method: 'POST',
        url: '/logout',
        headers: bearer(user.access_token),
        payload: {},
      });
      expect(
        (
          await eventually(
            () => whoami(bearer(user.access_token)),
            (s) => s === 401,
          )
        ).value,
      ).toBe(401);
    });

    it('serves the feed: the recent window, then a long poll that wakes on the next revocation', async () => {
      const first = await auth.app.inject({ url: '/revocations' });
      expect(first.statusCode).toBe(200);
      const page = first.json();
      expect(page.reset).toBe(true);
      expect(page.events.map((e: { kind: string }) => e.kind)).toEqual(
        expect.arrayContaining(['subject', 'api-key', 'session']),
      );
      const user = await userWithRoles(auth.app, adminToken, ['viewer']);
      const started = Date.now();
      const poll = auth.app.inject({ url: `/revocations?after=${page.cursor}&wait=20` });
      await new Promise((r) => setTimeout(r, 100));
      await auth.app.inject({
        method: 'POST',
        url: '/logout',
        headers: bearer(user.access_token),
        payload: {},
      });
      const next = (await poll).json();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(next.reset).toBe(false);
      expect(next.events).toEqual([expect.objectContaining({ kind: 'session' })]);
      expect(next.cursor).toBeGreaterThan(page.cursor);
      const bad = await auth.app.inject({ url: '/revocations?wait=99' });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      // Every verifier holds a poll open here all the time: its wait is not the service's latency
      // (it made auth-service's p99 the top bucket and fired HighLatencyP99 on an idle platform).
      const metrics = (await auth.app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/revocations",status_code="200"/);
      expect(metrics).not.toMatch(/http_request_duration_seconds_count\{[^}]*route="\/revocations"/);
    });
  });
}
