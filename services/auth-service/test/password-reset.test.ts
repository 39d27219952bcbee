// An admin resets someone's password through the API (`opsmesh users reset-password`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('POST /users/:id/password', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    admin = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => h.close());

  const reset = (token: string, id: string, payload: unknown) =>
    h.app.inject({
      method: 'POST',
      url: `/users/${id}/password`,
      headers: bearer(token),
      payload: payload as object,
    });

  it('sets the password, lifts a lockout and revokes every session of the user', async () => {
    const user = await userWithRoles(h.app, admin, ['operator']);
    for (let i = 0; i < 3; i++) {
      await h.app.inject({
        method: 'POST',
        url: '/login',
        payload: { email: user.email, password: 'wrong password!!' },
      });
    }
    const res = await reset(admin, user.id, { new_password: 'a new passphrase for them' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, email: user.email, status: 'active' });
    const refreshed = await h.app.inject({
      method: 'POST',
      url: '/refresh',
      payload: { refresh_token: user.refresh_token },
    });
    expect(refreshed.statusCode).toBe(401);
    expect((await login(h.app, user.email, 'a new passphrase for them')).access_token).toBeTruthy();
    const old = await h.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: user.email, password: user.password },
    });
    expect(old.statusCode).toBe(401);
  });

  it('answers 400 naming the rule for a weak password, 404 for an unknown user, 403 for a viewer', async () => {
    const user = await userWithRoles(h.app, admin, ['viewer']);
    const weak = await reset(admin, user.id, { new_password: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().detail).toMatch(/common/i);
    const short = await reset(admin, user.id, { new_password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(JSON.stringify(short.json())).toMatch(/new_password/);
    const missing = await reset(admin, 'usr_doesnotexist0000', { new_password: 'a new passphrase for them' });
    expect(missing.statusCode).toBe(404);
    const viewer = await reset(user.access_token, user.id, { new_password: 'a new passphrase for them' });
    expect(viewer.statusCode).toBe(403);
  });
});
