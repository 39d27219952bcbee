import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase, type TestDatabase, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, bearer, login, startAuth, userWithRoles } from './helpers.js';

const targets = await testDatabaseTargets();
const postgresSkip = targets.find((t) => t.name === 'postgres')?.skipReason ?? null;

async function persistentTarget(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'postgres') return createPostgresDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'opsmesh-auth-'));
  return { url: undefined, dataDir: dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && postgresSkip)(`a restart on ${kind} loses nothing`, () => {
    let target: TestDatabase;
    afterAll(() => target?.drop());

    it('keeps users, sessions, keys, audit rows and the validity of issued tokens', {
      timeout: 120_000,
    }, async () => {
      target = await persistentTarget(kind);
      const first = await startAuth(target);
      const admin = await login(first.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await userWithRoles(first.app, admin.access_token, ['operator']);
      const key = (
        await first.app.inject({
          method: 'POST',
          url: '/api-keys',
          headers: bearer(user.access_token),
          payload: { name: 'k' },
        })
      ).json().key;
      const auditBefore = (
        await first.app.inject({ url: '/audit?limit=500', headers: bearer(admin.access_token) })
      ).json().items.length;
      await first.close();

      const second = await startAuth(target);
      try {
        expect(
          (await second.app.inject({ url: '/me', headers: bearer(user.access_token) })).json().email,
        ).toBe(user.email);
        expect((await second.app.inject({ url: '/me', headers: { 'x-api-key': key } })).statusCode).toBe(200);
        const refreshed = await second.app.inject({
          method: 'POST',
          url: '/refresh',
          payload: { refresh_token: user.refresh_token },
        });
        expect(refreshed.statusCode).toBe(200);
        const audit = (
          await second.app.inject({ url: '/audit?limit=500', headers: bearer(admin.access_token) })
        ).json().items;
        expect(audit.length).toBeGreaterThanOrEqual(auditBefore);
        const users = (
          await second.app.inject({ url: '/users', headers: bearer(admin.access_token) })
        ).json();
        expect(users.total).toBe(2);
      } finally {
        await second.close();
      }
    });
  });
}
