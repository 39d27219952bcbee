import { testDatabaseTargets } from '@opsmesh/shared/testing';
import { sql } from 'kysely';
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
 * Sessions and API keys revoked or expired more than REVOKED_RETENTION_DAYS ago are deleted by one
 * replica's purge; newer ended ones stay listed, live ones stay working.
 */
for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`retention of ended credentials on ${target.name}`, () => {
    const replicas: Harness[] = [];
    let drop: () => Promise<void> = async () => {};
    beforeAll(async () => {
      const db = await target.create();
      drop = db.drop;
      replicas.push(await startAuth(db, { REVOKED_RETENTION_DAYS: '1' }));
      if (target.name === 'postgres') replicas.push(await startAuth(db, { REVOKED_RETENTION_DAYS: '1' }));
    });
    afterAll(async () => {
      for (const h of replicas) await h.close();
      await drop();
    });

    it('deletes what ended before the retention, once, and keeps the rest', async () => {
      const h = replicas[0]!;
      const admin = (await login(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).access_token;
      const user = await userWithRoles(h.app, admin, ['viewer']);
      const keys: Record<string, string> = {};
      for (const name of ['revoked long ago', 'revoked lately', 'expired long ago', 'live']) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api-keys',
          headers: bearer(user.access_token),
          payload: { name },
        });
        keys[name] = res.json().id;
      }
      const db = h.deps.database.db;
      const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
      await db
        .updateTable('api_keys')
        .set({ revoked_at: daysAgo(2) })
        .where('id', '=', keys['revoked long ago']!)
        .execute();
      await db
        .updateTable('api_keys')
        .set({ revoked_at: daysAgo(0.5) })
        .where('id', '=', keys['revoked lately']!)
        .execute();
      await db
        .updateTable('api_keys')
        .set({ expires_at: daysAgo(3) })
        .where('id', '=', keys['expired long ago']!)
        .execute();
      await login(h.app, user.email, user.password);
      const third = await login(h.app, user.email, user.password);
      const sessionIds = (
        await db
          .selectFrom('sessions')
          .select('id')
          .where('user_id', '=', user.id)
          .orderBy('created_at')
          .execute()
      ).map((r) => r.id);
      expect(sessionIds).toHaveLength(3);
      await db
        .updateTable('sessions')
        .set({ revoked_at: daysAgo(2), revoked_reason: 'logout' })
        .where('id', '=', sessionIds[0]!)
        .execute();
      await db
        .updateTable('sessions')
        .set({ revoked_at: daysAgo(0.5), revoked_reason: 'logout' })
        .where('id', '=', sessionIds[1]!)
        .execute();

      const ran = await Promise.all(replicas.map((r) => r.deps.retention.runNow()));
      expect(ran.filter(Boolean)).toHaveLength(1);

      const left = await db.selectFrom('api_keys').select('name').where('owner_id', '=', user.id).execute();
      expect(left.map((r) => r.name).sort()).toEqual(['live', 'revoked lately']);
      const sessions = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
      expect(sessions.map((r) => r.id).sort()).toEqual([sessionIds[1], sessionIds[2]].sort());
      const tokens = await sql<{
        n: string;
      }>`select count(*) as n from refresh_tokens where session_id = ${sessionIds[0]}`.execute(db);
      expect(Number(tokens.rows[0]!.n)).toBe(0);
      // What is left still works, on every replica.
      for (const r of replicas) {
        const me = await r.app.inject({ url: '/api-keys', headers: bearer(third.access_token) });
        expect(me.statusCode).toBe(200);
        expect(me.headers['x-total-count']).toBe('2');
      }
    });
  });
}
