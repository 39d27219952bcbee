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

describe('the user directory', () => {
  let h: Harness;
  let adminId: string;
  let viewer: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    const admin = await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    adminId = JSON.parse(Buffer.from(admin.access_token.split('.')[1]!, 'base64url').toString()).sub;
    viewer = (await userWithRoles(h.app, admin.access_token, ['viewer'])).access_token;
  });
  afterAll(() => h?.close());

  const lookup = (query: string, token = viewer) =>
    h.app.inject({ method: 'GET', url: `/directory?${query}`, headers: bearer(token) });

  it('turns the ids asked into emails for any signed-in caller, leaving unknown ids out', async () => {
    const res = await lookup(`id=usr_unknown0000&id=${adminId}&id=${adminId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [{ id: adminId, email: ADMIN_EMAIL, display_name: expect.any(String) }],
    });
  });

  it('refuses a missing, malformed or too long list with the reason, and strangers with 401', async () => {
    expect((await lookup('')).json()).toMatchObject({ status: 400, detail: 'querystring.id is required' });
    const bad = await lookup('id=alice');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toContain('querystring.id.0 must look like "usr_0123456789abcdef"');
    const many = Array.from({ length: 101 }, (_, i) => `id=usr_${i}`).join('&');
    expect((await lookup(many)).statusCode).toBe(400);
    const anonymous = await h.app.inject({ method: 'GET', url: `/directory?id=${adminId}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
