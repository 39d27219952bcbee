// One user reaching for another's credentials by id (insecure direct object references): an API
// key or a session of someone else is answered as if it did not exist, never revoked, never shown.
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

describe("another user's API keys and sessions", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    admin = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => h?.close());

  it('are neither listed, revoked nor ended by an id another user learnt', async () => {
    const owner = await userWithRoles(h.app, admin, ['viewer']);
    const other = await userWithRoles(h.app, admin, ['operator']);
    const key = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: bearer(owner.access_token),
      payload: { name: 'mine', expires_in_days: 1 },
    });
    expect(key.statusCode).toBe(201);
    const sessions = await h.app.inject({ url: '/sessions', headers: bearer(owner.access_token) });
    const sessionId = sessions.json().items[0].id as string;

    expect(
      (await h.app.inject({ url: '/api-keys', headers: bearer(other.access_token) })).json().items,
    ).toEqual([]);
    const revoke = await h.app.inject({
      method: 'DELETE',
      url: `/api-keys/${key.json().id}`,
      headers: bearer(other.access_token),
    });
    expect(revoke.statusCode).toBe(404);
    expect(revoke.json()).toMatchObject({ code: 'AUTH_API_KEY_NOT_FOUND' });
    const end = await h.app.inject({
      method: 'DELETE',
      url: `/sessions/${sessionId}`,
      headers: bearer(other.access_token),
    });
    expect(end.statusCode).toBe(404);
    expect(end.json()).toMatchObject({ code: 'AUTH_SESSION_NOT_FOUND' });
    const theirs = await h.app.inject({
      url: `/users/${owner.id}/sessions`,
      headers: bearer(other.access_token),
    });
    expect(theirs.statusCode).toBe(403);

    // Still the owner's, and still working.
    expect((await h.app.inject({ url: '/me', headers: { 'x-api-key': key.json().key } })).statusCode).toBe(
      200,
    );
    expect((await h.app.inject({ url: '/me', headers: bearer(owner.access_token) })).statusCode).toBe(200);
  });
});
