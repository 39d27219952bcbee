import { testDatabaseTargets } from '@opsmesh/shared/testing';
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
 * The per-owner caps under concurrency: every create or login of a burst sent at once, spread
 * over two replicas on PostgreSQL (one on the embedded engine), and the cap holds exactly.
 */
for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`per-owner caps under concurrency on ${target.name}`, () => {
    let replicas: Harness[] = [];
    let drop: () => Promise<void> = async () => {};
    let admin: string;
    beforeAll(async () => {
      const db = await target.create();
      drop = db.drop;
      const limits = { API_KEYS_MAX: '50', SESSIONS_MAX: '3' };
      replicas = [await startAuth(db, limits)];
      if (target.name === 'postgres') replicas.push(await startAuth(db, limits));
      admin = (await login(replicas[0]!.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
    });
    afterAll(async () => {
      for (const h of replicas) await h.close();
      await drop();
    });
    const replica = (i: number) => replicas[i % replicas.length]!;

    it('lets exactly API_KEYS_MAX of 80 concurrent creates for one owner through; the rest are 409s naming the limit', async () => {
      const owner = await userWithRoles(replica(0).app, admin, ['viewer']);
      const answers = await Promise.all(
        Array.from({ length: 80 }, (_, i) =>
          replica(i).app.inject({
            method: 'POST',
            url: '/api-keys',
            headers: bearer(owner.access_token),
            payload: { name: `burst ${i}` },
          }),
        ),
      );
      const byStatus: Record<number, number> = {};
      for (const r of answers) byStatus[r.statusCode] = (byStatus[r.statusCode] ?? 0) + 1;
      expect(byStatus).toEqual({ 201: 50, 409: 30 });
      for (const refused of answers.filter((r) => r.statusCode === 409)) {
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.json().code).toBe('AUTH_API_KEY_LIMIT');
        expect(refused.json().detail).toContain('API_KEYS_MAX');
      }
      const listed = await replica(1).app.inject({ url: '/api-keys', headers: bearer(owner.access_token) });
      expect(listed.headers['x-total-count']).toBe('50');
    });

    it('keeps at most SESSIONS_MAX live sessions when logins arrive at once', async () => {
      const user = await userWithRoles(replica(0).app, admin, ['viewer']);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          replica(i).app.inject({
            method: 'POST',
            url: '/login',
            payload: { email: user.email, password: user.password },
          }),
        ),
      );
      expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
      expect(await liveSessions(user.id)).toBe(3);

      // The password hash spreads logins out; the session opening itself, 40 at once, is the race.
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          replica(i).deps.sessionRepo.openForLogin(
            {
              id: `ses_burst${i}${user.id}`,
              user_id: user.id,
              expires_at: new Date(Date.now() + 3_600_000),
              ip: null,
              user_agent: null,
            },
            `burst-token-${i}-${user.id}`,
            3,
          ),
        ),
      );
      expect(await liveSessions(user.id)).toBe(3);
    });

    async function liveSessions(userId: string) {
      const live = await replica(0)
        .deps.database.db.selectFrom('sessions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(live.n);
    }
  });
}
