// The offline reset (`opsmesh admin reset-password`) works on the service's own database with the
// service down: the new password logs in once the service is back, the old one and every session
// issued before do not. On the embedded engine it refuses while the service holds the data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, type TestDatabase, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { OfflineResetError, resetPasswordOffline } from '../src/offline-reset.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Harness, login, startAuth, userWithRoles } from './helpers.js';

const targets = await testDatabaseTargets();
const postgresSkip = targets.find((t) => t.name === 'postgres')?.skipReason ?? null;

async function refreshStatus(h: Harness, refreshToken: string): Promise<number> {
  return (await h.app.inject({ method: 'POST', url: '/refresh', payload: { refresh_token: refreshToken } }))
    .statusCode;
}

async function loginStatus(h: Harness, email: string, password: string): Promise<number> {
  return (await h.app.inject({ method: 'POST', url: '/login', payload: { email, password } })).statusCode;
}

describe('offline password reset on the embedded database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-offline-reset-'));
  const target: TestDatabase = { url: undefined, dataDir: dir, drop: async () => {} };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses while the service runs, then resets the bootstrap admin once it is stopped', {
    timeout: 120_000,
  }, async () => {
    const running = await startAuth(target);
    const before = await login(running.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    const inUse = await resetPasswordOffline({ dataDir: dir }).catch((e) => e);
    expect(inUse).toBeInstanceOf(OfflineResetError);
    expect(inUse.kind).toBe('conflict');
    expect(inUse.message).toMatch(/auth service is running .*opsmesh users reset-password/);
    await running.close();

    const result = await resetPasswordOffline({ dataDir: dir });
    expect(result.email).toBe(ADMIN_EMAIL);
    expect(result.generated).toMatch(/^[A-Za-z0-9]{6}-[A-Za-z0-9]{6}-[A-Za-z0-9]{6}$/);

    const again = await startAuth(target);
    try {
      expect(await loginStatus(again, ADMIN_EMAIL, result.generated!)).toBe(200);
      expect(await loginStatus(again, ADMIN_EMAIL, ADMIN_PASSWORD)).toBe(401);
      // Sessions from before the reset are gone.
      expect(await refreshStatus(again, before.refresh_token)).toBe(401);
      const audit = (
        await again.app.inject({
          url: '/audit?limit=500',
          headers: {
            authorization: `Bearer ${(await login(again.app, ADMIN_EMAIL, result.generated!)).access_token}`,
          },
        })
      ).json().items as { action: string; actor: string | null }[];
      expect(audit.some((e) => e.action === 'password_reset' && e.actor === null)).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('names what to fix: a missing data directory, an unknown email, a weak password', async () => {
    const missing = await resetPasswordOffline({ dataDir: join(dir, 'nowhere') }).catch((e) => e);
    expect(missing.kind).toBe('notFound');
    expect(missing.message).toMatch(/No auth database in .*nowhere.*OPSMESH_DATA_DIR/);
    const unknown = await resetPasswordOffline({ dataDir: dir, email: 'nobody@opsmesh.test' }).catch(
      (e) => e,
    );
    expect(unknown.kind).toBe('notFound');
    expect(unknown.message).toMatch(/nobody@opsmesh\.test/);
    const weak = await resetPasswordOffline({ dataDir: dir, password: 'password1234' }).catch((e) => e);
    expect(weak.kind).toBe('invalid');
    expect(weak.message).toMatch(/password/i);
  });
});

describe.skipIf(postgresSkip)('offline password reset on PostgreSQL (DATABASE_URL)', () => {
  let target: TestDatabase;
  afterAll(() => target?.drop());

  it('sets the chosen password of the named user, revoking their sessions', {
    timeout: 120_000,
  }, async () => {
    target = await createPostgresDatabase();
    const h = await startAuth(target);
    try {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await userWithRoles(h.app, admin.access_token, ['operator']);
      const chosen = 'a fresh passphrase for the operator';
      const result = await resetPasswordOffline({
        dataDir: 'unused',
        databaseUrl: target.url,
        email: user.email.toUpperCase(),
        password: chosen,
      });
      expect(result).toEqual({ email: user.email, userId: expect.stringMatching(/^usr_/), generated: null });
      expect(await loginStatus(h, user.email, chosen)).toBe(200);
      expect(await refreshStatus(h, user.refresh_token)).toBe(401);
      // The admin's own session is untouched.
      expect(await refreshStatus(h, admin.refresh_token)).toBe(200);
    } finally {
      await h.close();
    }
  });
});
