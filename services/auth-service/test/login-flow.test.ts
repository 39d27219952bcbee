import { testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bearer,
  type Harness,
  login,
  startAuth,
  uniqueEmail,
  userWithRoles,
} from './helpers.js';

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`auth flows on ${target.name}`, () => {
    let h: Harness;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const db = await target.create();
      drop = db.drop;
      h = await startAuth(db);
    });
    afterAll(async () => {
      await h?.close();
      await drop?.();
    });

    it('logs the bootstrap admin in and answers /me with OAuth field names', async () => {
      const tokens = await login(h.app, ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD);
      expect(tokens.token_type).toBe('Bearer');
      expect(tokens.expires_in).toBe(900);
      expect(tokens.refresh_token).toMatch(/^omr_/);
      const header = JSON.parse(Buffer.from(tokens.access_token.split('.')[0]!, 'base64url').toString());
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT' });
      expect(header.kid).toBeTruthy();
      const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString());
      expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'roles', 'sid', 'sub']);
      expect(claims.exp - claims.iat).toBe(900);
      const me = await h.app.inject({ url: '/me', headers: bearer(tokens.access_token) });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({
        email: ADMIN_EMAIL,
        roles: ['admin'],
        status: 'active',
        session_id: claims.sid,
      });
      expect(me.json().permissions).toContain('users:write');
    });

    it('does not tell whether an email exists', async () => {
      const unknown = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: uniqueEmail(), password: 'whatever password' },
      });
      const wrong = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: ADMIN_EMAIL, password: 'not the password at all' },
      });
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.json().detail).toBe(wrong.json().detail);
      expect(unknown.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    });

    it('rotates refresh tokens and revokes the family when a spent one is reused', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await userWithRoles(h.app, admin.access_token, ['viewer']);
      const first = await h.app.inject({
        method: 'POST',
        url: '/refresh',
        payload: { refresh_token: user.refresh_token },
      });
      expect(first.statusCode).toBe(200);
      const second = first.json().refresh_token;
      expect(second).not.toBe(user.refresh_token);
      const reuse = await h.app.inject({
        method: 'POST',
        url: '/refresh',
        payload: { refresh_token: user.refresh_token },
      });
      expect(reuse.statusCode).toBe(401);
      expect(reuse.json().code).toBe('AUTH_REFRESH_TOKEN_REUSED');
      // The legitimate successor is dead too: the whole family went.
      const after = await h.app.inject({
        method: 'POST',
        url: '/refresh',
        payload: { refresh_token: second },
      });
      expect(after.statusCode).toBe(401);
      expect(after.json().code).toBe('AUTH_INVALID_REFRESH_TOKEN');
      const sessions = await h.app.inject({
        url: `/users/${user.id}/sessions`,
        headers: bearer(admin.access_token),
      });
      expect(sessions.json().items[0].revoked_reason).toBe('refresh token reused');
      const audit = await h.app.inject({
        url: `/audit?action=refresh_reuse`,
        headers: bearer(admin.access_token),
      });
      expect(audit.json().items.some((e: { actor: string }) => e.actor === user.id)).toBe(true);
    });

    it('accepts the refresh grant at /token with a form body', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const res = await h.app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=refresh_token&refresh_token=${admin.refresh_token}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().access_token).toBeTruthy();
    });

    it('logs out: the session ends and its refresh token stops working', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const out = await h.app.inject({
        method: 'POST',
        url: '/logout',
        headers: bearer(admin.access_token),
        payload: {},
      });
      expect(out.statusCode).toBe(204);
      const res = await h.app.inject({
        method: 'POST',
        url: '/refresh',
        payload: { refresh_token: admin.refresh_token },
      });
      expect(res.statusCode).toBe(401);
      const introspect = await h.app.inject({
        method: 'POST',
        url: '/introspect',
        headers: bearer(admin.access_token),
        payload: { token: admin.access_token },
      });
      expect(introspect.json()).toEqual({ active: false });
    });

    it('registers, enforces the password policy and accepts 128 characters whole', async () => {
      const common = await h.app.inject({
        method: 'POST',
        url: '/register',
        payload: { email: uniqueEmail(), password: 'password1234', display_name: 'x' },
      });
      expect(common.statusCode).toBe(400);
      expect(common.json().code).toBe('AUTH_WEAK_PASSWORD');
      const short = await h.app.inject({
        method: 'POST',
        url: '/register',
        payload: { email: uniqueEmail(), password: 'short', display_name: 'x' },
      });
      expect(short.statusCode).toBe(400);
      expect(short.json().errors[0].field).toBe('body.password');
      const long = `${'Zq9!'.repeat(31)}tail`;
      expect(long.length).toBe(128);
      const email = uniqueEmail('long');
      const reg = await h.app.inject({
        method: 'POST',
        url: '/register',
        payload: { email, password: long, display_name: 'Long' },
      });
      expect(reg.statusCode).toBe(201);
      expect(reg.json().roles).toEqual(['viewer']);
      await login(h.app, email, long);
      // No truncation: the same password with its last character changed is refused.
      const near = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email, password: `${long.slice(0, 127)}X` },
      });
      expect(near.statusCode).toBe(401);
      const dup = await h.app.inject({
        method: 'POST',
        url: '/register',
        payload: { email: email.toUpperCase(), password: long, display_name: 'Dup' },
      });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('AUTH_EMAIL_TAKEN');
    });

    it('locks an account after repeated failures, with a growing delay', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await userWithRoles(h.app, admin.access_token, ['viewer']);
      for (let i = 0; i < 5; i++) {
        const r = await h.app.inject({
          method: 'POST',
          url: '/login',
          payload: { email: user.email, password: 'wrong password here' },
        });
        expect(r.statusCode).toBe(401);
      }
      const locked = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: user.email, password: user.password },
      });
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      const audit = await h.app.inject({
        url: `/audit?action=lockout&target=${user.id}`,
        headers: bearer(admin.access_token),
      });
      expect(audit.json().items).toHaveLength(1);
      // An admin re-enabling the account clears the lock.
      await h.app.inject({
        method: 'POST',
        url: `/users/${user.id}/enable`,
        headers: bearer(admin.access_token),
      });
      await login(h.app, user.email, user.password);
    });

    it('changing the password revokes the other sessions; disabling revokes all', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await userWithRoles(h.app, admin.access_token, ['operator']);
      const other = await login(h.app, user.email, user.password);
      const changed = await h.app.inject({
        method: 'POST',
        url: '/me/password',
        headers: bearer(user.access_token),
        payload: { current_password: user.password, new_password: 'a brand new passphrase' },
      });
      expect(changed.statusCode).toBe(204);
      expect(
        (
          await h.app.inject({
            method: 'POST',
            url: '/refresh',
            payload: { refresh_token: other.refresh_token },
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await h.app.inject({
            method: 'POST',
            url: '/refresh',
            payload: { refresh_token: user.refresh_token },
          })
        ).statusCode,
      ).toBe(200);
      const disabled = await h.app.inject({
        method: 'POST',
        url: `/users/${user.id}/disable`,
        headers: bearer(admin.access_token),
      });
      expect(disabled.json().status).toBe('disabled');
      const sessions = await h.app.inject({
        url: `/users/${user.id}/sessions`,
        headers: bearer(admin.access_token),
      });
      expect(sessions.json().items.every((s: { revoked_at: string | null }) => s.revoked_at !== null)).toBe(
        true,
      );
      const again = await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: user.email, password: 'a brand new passphrase' },
      });
      expect(again.statusCode).toBe(403);
      expect(again.json().code).toBe('AUTH_ACCOUNT_DISABLED');
    });

    it('keeps at least one active admin', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const me = await h.app.inject({ url: '/me', headers: bearer(admin.access_token) });
      const res = await h.app.inject({
        method: 'PUT',
        url: `/users/${me.json().id}/roles`,
        headers: bearer(admin.access_token),
        payload: { roles: ['viewer'] },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('AUTH_LAST_ADMIN');
    });

    it('records role changes in the audit trail', async () => {
      const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
      const user = await userWithRoles(h.app, admin.access_token, ['viewer']);
      await h.app.inject({
        method: 'PUT',
        url: `/users/${user.id}/roles`,
        headers: bearer(admin.access_token),
        payload: { roles: ['operator'] },
      });
      const audit = await h.app.inject({
        url: `/audit?target=${user.id}&action=roles_changed`,
        headers: bearer(admin.access_token),
      });
      const [event] = audit.json().items;
      expect(event.detail).toEqual({ from: ['viewer'], to: ['operator'] });
      expect(event.ip).toBeTruthy();
    });
  });
}
