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

describe('per-owner limits and pages: API keys and sessions', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY, { API_KEYS_MAX: '3', SESSIONS_MAX: '3' });
    admin = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => h?.close());

  it('refuses an API key past API_KEYS_MAX with a 409 that names the limit; revoking one makes room', async () => {
    const viewer = await userWithRoles(h.app, admin, ['viewer']);
    const create = (name: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api-keys',
        headers: bearer(viewer.access_token),
        payload: { name },
      });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(`key ${i}`);
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    const refused = await create('one too many');
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('AUTH_API_KEY_LIMIT');
    expect(refused.json().detail).toContain('3 live API keys');
    expect(refused.json().detail).toContain('DELETE /api-keys/{id}');

    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/api-keys/${ids[0]}`,
      headers: bearer(viewer.access_token),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await create('after a revoke')).statusCode).toBe(201);

    // The limit is per owner: another user starts from zero.
    const other = await userWithRoles(h.app, admin, ['viewer']);
    const theirs = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: bearer(other.access_token),
      payload: { name: 'mine' },
    });
    expect(theirs.statusCode).toBe(201);
  });

  it('revokes the oldest live session when a login passes SESSIONS_MAX', async () => {
    const user = await userWithRoles(h.app, admin, ['viewer']);
    const logins = [user];
    for (let i = 0; i < 3; i++) logins.push({ ...user, ...(await login(h.app, user.email, user.password)) });
    // Four logins, three kept: the first one's session is revoked, the newest three still work.
    const sessions = await h.app.inject({ url: '/sessions', headers: bearer(logins[3]!.access_token) });
    expect(sessions.statusCode).toBe(200);
    expect(sessions.json().items).toHaveLength(3);

    const rows = await h.deps.database.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'asc')
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows[0]!.revoked_at).not.toBeNull();
    expect(rows[0]!.revoked_reason).toContain('session limit');
    expect(rows.slice(1).every((r) => r.revoked_at === null)).toBe(true);

    const oldRefresh = await h.app.inject({
      method: 'POST',
      url: '/refresh',
      payload: { refresh_token: logins[0]!.refresh_token },
    });
    expect(oldRefresh.statusCode).toBe(401);
    const newRefresh = await h.app.inject({
      method: 'POST',
      url: '/refresh',
      payload: { refresh_token: logins[3]!.refresh_token },
    });
    expect(newRefresh.statusCode).toBe(200);
  });

  it('lists sessions and API keys a page at a time with x-total-count and x-next-offset', async () => {
    const user = await userWithRoles(h.app, admin, ['viewer']);
    for (const name of ['a', 'b', 'c']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api-keys',
        headers: bearer(user.access_token),
        payload: { name },
      });
      expect(res.statusCode).toBe(201);
    }
    const keys = await h.app.inject({ url: '/api-keys?limit=2', headers: bearer(user.access_token) });
    expect(keys.json().items.map((k: { name: string }) => k.name)).toEqual(['c', 'b']);
    expect(keys.headers['x-total-count']).toBe('3');
    expect(keys.headers['x-next-offset']).toBe('2');
    const rest = await h.app.inject({
      url: '/api-keys?limit=2&offset=2',
      headers: bearer(user.access_token),
    });
    expect(rest.json().items.map((k: { name: string }) => k.name)).toEqual(['a']);
    expect(rest.headers['x-next-offset']).toBeUndefined();

    await login(h.app, user.email, user.password);
    const mine = await h.app.inject({ url: '/sessions?limit=1', headers: bearer(user.access_token) });
    expect(mine.json().items).toHaveLength(1);
    expect(mine.headers['x-total-count']).toBe('2');
    expect(mine.headers['x-next-offset']).toBe('1');
    const theirs = await h.app.inject({ url: `/users/${user.id}/sessions`, headers: bearer(admin) });
    expect(theirs.json().items).toHaveLength(2);
    expect(theirs.headers['x-total-count']).toBe('2');
    const audit = await h.app.inject({ url: `/audit?target=${user.id}&limit=1`, headers: bearer(admin) });
    const auditTotal = Number(audit.headers['x-total-count']);
    expect(auditTotal).toBeGreaterThan(1);
    expect(audit.headers['x-next-offset']).toBe('1');
    const auditLast = await h.app.inject({
      url: `/audit?target=${user.id}&limit=1&offset=${auditTotal - 1}`,
      headers: bearer(admin),
    });
    expect(auditLast.json().items).toHaveLength(1);
    expect(auditLast.headers['x-next-offset']).toBeUndefined();
    expect(auditLast.json().items[0].id).not.toBe(audit.json().items[0].id);
    const users = await h.app.inject({ url: '/users?limit=1', headers: bearer(admin) });
    expect(users.headers['x-total-count']).toBe(String(users.json().total));
    expect(users.headers['x-next-offset']).toBe('1');
    for (const bad of ['?limit=0', '?limit=501', '?offset=-1', '?page=2']) {
      const res = await h.app.inject({ url: `/api-keys${bad}`, headers: bearer(user.access_token) });
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
