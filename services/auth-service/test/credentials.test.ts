import { TOKEN_EXCHANGE_GRANT } from '@opsmesh/contracts';
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

describe('API keys, service accounts, token exchange and introspection', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startAuth(IN_MEMORY);
    admin = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(() => h?.close());

  it('revokes a key on a DELETE labelled application/json with no body; refuses a name that is not UTF-8', async () => {
    const operator = await userWithRoles(h.app, admin, ['operator']);
    const json = { ...bearer(operator.access_token), 'content-type': 'application/json' };
    const notUtf8 = Buffer.concat([
      Buffer.from('{"name":"ci '),
      Buffer.from([0xe9]),
      Buffer.from('","permissions":["models:read"]}'),
    ]);
    const refused = await h.app.inject({ method: 'POST', url: '/api-keys', headers: json, payload: notUtf8 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'INVALID_UTF8' });
    expect(refused.json().detail).toMatch(/offset 12\b/);
    const latin1 = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: { ...json, 'content-type': 'application/json; charset=iso-8859-1' },
      payload: notUtf8,
    });
    expect(latin1.statusCode).toBe(415);
    expect(latin1.json()).toMatchObject({ code: 'UNSUPPORTED_CHARSET' });
    expect(
      (await h.app.inject({ url: '/api-keys', headers: bearer(operator.access_token) })).json().items,
    ).toEqual([]);

    const created = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: json,
      payload: { name: 'ci é', permissions: ['models:read'] },
    });
    expect(created.json().name).toBe('ci é');
    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/api-keys/${created.json().id}`,
      headers: json,
      payload: '',
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    const empty = await h.app.inject({ method: 'POST', url: '/api-keys', headers: json, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/body is empty/);
    // OAuth 2 form bodies: an escape that is not UTF-8 is refused, naming the field.
    const form = await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials&client_id=svc%FF&client_secret=x',
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().detail).toMatch(
      /form field "client_id" has percent-escapes that do not decode to UTF-8/,
    );
  });

  it('creates a prefixed key shown once, stored hashed, scoped, usable, and revocable', async () => {
    const operator = await userWithRoles(h.app, admin, ['operator']);
    const created = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: bearer(operator.access_token),
      payload: { name: 'ci deploys', permissions: ['models:read', 'models:write'], expires_in_days: 7 },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json().key as string;
    expect(key).toMatch(/^omk_[0-9A-Za-z]{40}$/);
    expect(created.json().prefix).toBe(key.slice(0, 12));
    const stored = await h.deps.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.key_hash).not.toContain(key.slice(4));
    expect(
      JSON.stringify(
        (await h.app.inject({ url: '/api-keys', headers: bearer(operator.access_token) })).json(),
      ),
    ).not.toContain(key);

    const viaHeader = await h.app.inject({ url: '/me', headers: { 'x-api-key': key } });
    expect(viaHeader.statusCode).toBe(200);
    expect(viaHeader.json().permissions).toEqual(['models:read', 'models:write']);
    const viaBearer = await h.app.inject({ url: '/me', headers: bearer(key) });
    expect(viaBearer.statusCode).toBe(200);

    const self = await h.app.inject({
      method: 'POST',
      url: '/introspect',
      headers: bearer(key),
      payload: { token: key },
    });
    expect(self.json()).toMatchObject({
      active: true,
      sub: operator.id,
      token_type: 'api_key',
      permissions: ['models:read', 'models:write'],
    });

    const tooMuch = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: bearer(operator.access_token),
      payload: { name: 'x', permissions: ['users:write'] },
    });
    expect(tooMuch.statusCode).toBe(403);
    expect(tooMuch.json().detail).toMatch(/users:write/);
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: bearer(operator.access_token),
      payload: { name: 'x', permissions: ['nope:nope'] },
    });
    expect(unknown.statusCode).toBe(400);

    const revoked = await h.app.inject({
      method: 'DELETE',
      url: `/api-keys/${created.json().id}`,
      headers: bearer(operator.access_token),
    });
    expect(revoked.statusCode).toBe(204);
    // The authenticator caches keys for a few seconds; introspection sees the revocation at once.
    const after = await h.app.inject({
      method: 'POST',
      url: '/introspect',
      headers: bearer(key),
      payload: { token: key },
    });
    expect(after.json()).toEqual({ active: false });
    const audit = await h.app.inject({ url: `/audit?target=${created.json().id}`, headers: bearer(admin) });
    expect(
      audit
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['api_key_created', 'api_key_revoked']);
  });

  it('a key loses what its owner loses', async () => {
    const op = await userWithRoles(h.app, admin, ['operator']);
    const created = await h.app.inject({
      method: 'POST',
      url: '/api-keys',
      headers: bearer(op.access_token),
      payload: { name: 'k', permissions: ['models:write'] },
    });
    const key = created.json().key;
    await h.app.inject({
      method: 'PUT',
      url: `/users/${op.id}/roles`,
      headers: bearer(admin),
      payload: { roles: ['viewer'] },
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/introspect',
      headers: bearer(key),
      payload: { token: key },
    });
    expect(res.json().permissions).toEqual([]);
    await h.app.inject({ method: 'POST', url: `/users/${op.id}/disable`, headers: bearer(admin) });
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/introspect',
          headers: bearer(key),
          payload: { token: key },
        })
      ).json().active,
    ).toBe(false);
  });

  it('client credentials give a service token; token exchange delegates to a user with act', async () => {
    const createAccount = (name: string) =>
      h.app.inject({ method: 'POST', url: '/service-accounts', headers: bearer(admin), payload: { name } });
    const sa = await createAccount('chatops-service');
    expect(sa.statusCode).toBe(201);
    const { client_id, client_secret } = sa.json();
    expect(client_secret).toMatch(/^oms_/);
    expect((await createAccount('chatops-service')).statusCode).toBe(409);
    // Listed a page at a time, oldest first: a page of one says where the next starts.
    expect((await createAccount('listed-second')).statusCode).toBe(201);
    const all = await h.app.inject({ url: '/service-accounts', headers: bearer(admin) });
    const total = Number(all.headers['x-total-count']);
    expect(total).toBe(all.json().items.length);
    const page = await h.app.inject({ url: '/service-accounts?limit=1', headers: bearer(admin) });
    expect(page.json().items).toEqual([all.json().items[0]]);
    expect(page.headers['x-next-offset']).toBe('1');
    const last = await h.app.inject({
      url: `/service-accounts?limit=1&offset=${total - 1}`,
      headers: bearer(admin),
    });
    expect(last.json().items[0].name).toBe('listed-second');
    expect(last.headers['x-next-offset']).toBeUndefined();
    expect(
      (await h.app.inject({ url: '/service-accounts?limit=501', headers: bearer(admin) })).statusCode,
    ).toBe(400);

    const bad = await h.app.inject({
      method: 'POST',
      url: '/token',
      payload: { grant_type: 'client_credentials', client_id, client_secret: 'oms_wrong' },
    });
    expect(bad.statusCode).toBe(401);
    const form = await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials',
    });
    expect(form.statusCode).toBe(200);
    const serviceToken = form.json().access_token as string;
    const claims = JSON.parse(Buffer.from(serviceToken.split('.')[1]!, 'base64url').toString());
    expect(claims.sub).toMatch(/^svc_/);
    expect(claims.roles).toEqual(['service']);

    const viewer = await userWithRoles(h.app, admin, ['viewer']);
    const exchanged = await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: bearer(serviceToken),
      payload: {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: viewer.email,
        subject_token_type: 'urn:opsmesh:params:oauth:token-type:user-id',
      },
    });
    expect(exchanged.statusCode).toBe(200);
    expect(exchanged.json().expires_in).toBe(300);
    const delegated = JSON.parse(
      Buffer.from(exchanged.json().access_token.split('.')[1], 'base64url').toString(),
    );
    expect(delegated).toMatchObject({ sub: viewer.id, roles: ['viewer'], act: { sub: claims.sub } });
    const me = await h.app.inject({ url: '/me', headers: bearer(exchanged.json().access_token) });
    expect(me.json().id).toBe(viewer.id);

    // A person cannot exchange: `tokens:exchange` belongs to service accounts.
    const byUser = await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: bearer(viewer.access_token),
      payload: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: ADMIN_EMAIL },
    });
    expect(byUser.statusCode).toBe(403);
    expect(byUser.json().detail).toMatch(/tokens:exchange/);
    const noone = await h.app.inject({
      method: 'POST',
      url: '/token',
      headers: bearer(serviceToken),
      payload: { grant_type: TOKEN_EXCHANGE_GRANT, subject_token: 'usr_nobody' },
    });
    expect(noone.statusCode).toBe(400);

    // Services introspect anything; people only themselves.
    const intro = await h.app.inject({
      method: 'POST',
      url: '/introspect',
      headers: bearer(serviceToken),
      payload: { token: viewer.access_token },
    });
    expect(intro.json()).toMatchObject({
      active: true,
      sub: viewer.id,
      token_type: 'access_token',
      roles: ['viewer'],
    });
    const nosy = await h.app.inject({
      method: 'POST',
      url: '/introspect',
      headers: bearer(viewer.access_token),
      payload: { token: serviceToken },
    });
    expect(nosy.statusCode).toBe(403);
    const disabled = await h.app.inject({
      method: 'DELETE',
      url: `/service-accounts/${sa.json().id}`,
      headers: bearer(admin),
    });
    expect(disabled.statusCode).toBe(204);
    const again = await h.app.inject({
      method: 'POST',
      url: '/token',
      payload: { grant_type: 'client_credentials', client_id, client_secret },
    });
    expect(again.statusCode).toBe(401);
  });

  // One user reaching for another's credentials by id (insecure direct object references): they are
  // answered as if they did not exist, never revoked, never shown.
  it("another user's API keys and sessions are neither listed, revoked nor ended by an id learnt", async () => {
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
