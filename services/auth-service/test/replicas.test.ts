import { eventually, testDatabaseTargets } from '@opsmesh/shared/testing';
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

/** Two auth replicas over one PostgreSQL: whichever answers, the same rules hold. */

const kidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

const [, postgres] = await testDatabaseTargets();

describe.skipIf(postgres!.skipReason)('two auth replicas over one PostgreSQL', () => {
  let a: Harness;
  let b: Harness;
  let drop: () => Promise<void>;
  let adminToken: string;

  beforeAll(async () => {
    const db = await postgres!.create();
    drop = db.drop;
    [a, b] = await Promise.all([startAuth(db), startAuth(db)]);
    adminToken = (await login(a.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  const attempt = (h: Harness, email: string, password: string) =>
    h.app.inject({ method: 'POST', url: '/login', payload: { email, password } });

  it('locks an account after N failures spread over both replicas, and the lock holds on both', async () => {
    const user = await userWithRoles(a.app, adminToken, ['viewer']);
    for (let i = 0; i < 5; i++) {
      const res = await attempt(i % 2 ? a : b, user.email, 'wrong password entirely');
      expect(res.statusCode).toBe(401);
    }
    for (const h of [a, b]) {
      const locked = await attempt(h, user.email, user.password);
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('counts every one of concurrent failures on both replicas', async () => {
    const user = await userWithRoles(a.app, adminToken, ['viewer']);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => attempt(i % 2 ? a : b, user.email, `wrong password ${i} here`)),
    );
    // Each answer is a failure or, once the lock is taken, a lockout; never a success or a 5xx.
    expect(results.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    const row = await a.deps.database.db
      .selectFrom('users')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(results.filter((r) => r.statusCode === 401).length);
    expect(row.failed_logins).toBeGreaterThanOrEqual(5);
    expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now());
  });

  it('throttles an unknown email the same way, whichever replica answers', async () => {
    const email = uniqueEmail('nobody');
    for (let i = 0; i < 5; i++)
      expect((await attempt(i % 2 ? b : a, email, 'some password 1')).statusCode).toBe(401);
    for (const h of [a, b]) {
      const res = await attempt(h, email, 'some password 1');
      expect(res.statusCode).toBe(429);
      expect(res.json().code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    }
  });

  it("signs with the other replica's rotated key within 2 s", async () => {
    const rotated = await a.app.inject({ method: 'POST', url: '/keys/rotate', headers: bearer(adminToken) });
    expect(rotated.statusCode).toBe(200);
    const kid = rotated.json().kid as string;
    const seen = await eventually(
      async () => kidOf((await login(b.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token),
      (k) => k === kid,
    );
    expect(seen.value).toBe(kid);
    // And a's new tokens are accepted by b.
    const fresh = await login(a.app, ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await b.app.inject({ url: '/me', headers: bearer(fresh.access_token) })).statusCode).toBe(200);
    adminToken = fresh.access_token;
  });

  it("refuses on one replica a user disabled on the other within 2 s, and wakes the other's long polls", async () => {
    const user = await userWithRoles(a.app, adminToken, ['operator']);
    expect((await b.app.inject({ url: '/me', headers: bearer(user.access_token) })).statusCode).toBe(200);
    const page = (await b.app.inject({ url: '/revocations' })).json();
    const started = Date.now();
    const poll = b.app.inject({ url: `/revocations?after=${page.cursor}&wait=20` });
    await new Promise((r) => setTimeout(r, 100));
    expect(
      (await a.app.inject({ method: 'POST', url: `/users/${user.id}/disable`, headers: bearer(adminToken) }))
        .statusCode,
    ).toBe(200);
    const next = (await poll).json();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(next.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'subject', id: user.id })]),
    );
    const refused = await eventually(
      async () => (await b.app.inject({ url: '/me', headers: bearer(user.access_token) })).statusCode,
      (s) => s === 401,
    );
    expect(refused.value).toBe(401);
  });

  it('creates a configured service account once when both replicas start at the same moment', async () => {
    // Many names, each ensured by both replicas at once: the losing insert may meet either
    // unique index (name or client id), and neither may fail the start.
    const names = Array.from({ length: 40 }, (_, i) => `svc-race-${Date.now().toString(36)}-${i}`);
    const secret = 'configured-secret-long-enough';
    await Promise.all(
      names.flatMap((name) => [
        a.deps.credentials.ensureServiceAccount(name, secret),
        b.deps.credentials.ensureServiceAccount(name, secret),
      ]),
    );
    const rows = await a.deps.database.db
      .selectFrom('service_accounts')
      .select(['name'])
      .where('name', 'in', names)
      .execute();
    expect(rows.map((r) => r.name).sort()).toEqual([...names].sort());
    // Re-keyed on both replicas' next start, once.
    await Promise.all(
      names
        .slice(0, 4)
        .flatMap((n) => [a, b].map((h) => h.deps.credentials.ensureServiceAccount(n, `${secret}-2`))),
    );
    const token = await b.app.inject({
      method: 'POST',
      url: '/token',
      payload: { grant_type: 'client_credentials', client_id: names[0], client_secret: `${secret}-2` },
    });
    expect(token.statusCode).toBe(200);
  });
});
