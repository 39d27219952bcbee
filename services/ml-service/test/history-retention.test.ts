import {
  createTestIdentity,
  eventually,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, uploadRaw } from './helpers/http.js';
import { affineModel } from './helpers/models.js';
import { openShared, startTestApp } from './helpers/test-app.js';

/** Alias history past ML_ALIAS_HISTORY_RETENTION_DAYS is purged, each alias's newest move kept. */
describe('alias history retention (ML_ALIAS_HISTORY_RETENTION_DAYS)', () => {
  let identity: TestIdentity;
  let shared: Awaited<ReturnType<typeof openShared>>;
  let operator: string;
  const env = { ML_BOOTSTRAP_IRIS: 'false', ML_ALIAS_HISTORY_RETENTION_DAYS: '1' };
  beforeAll(async () => {
    identity = await createTestIdentity();
    shared = await openShared(await (await testDatabaseTargets())[0]!.create());
    operator = await identity.token({ roles: ['operator'] });
  }, 120_000);
  afterAll(async () => {
    await shared?.close();
    await identity?.close();
  });

  it('deletes moves older than the retention at start, keeps the newest of each alias, and rollback still works', async () => {
    const first = await startTestApp({
      identity,
      database: { url: undefined, dataDir: 'memory://', drop: async () => {} },
      shared,
      env,
    });
    try {
      for (const scale of [2, 3, 4])
        expect((await uploadRaw(first, 'kept', affineModel(scale, 1), operator)).status).toBe(201);
      for (const version of [1, 2, 3])
        expect(
          (await call(first, 'PUT', '/models/kept/aliases/production', operator, { version })).status,
        ).toBe(200);
      expect((await call(first, 'PUT', '/models/kept/aliases/canary', operator, { version: 1 })).status).toBe(
        200,
      );
    } finally {
      await first.close();
    }
    const db = shared.database.db;
    await db
      .updateTable('ml_alias_history')
      .set({ changed_at: new Date(Date.now() - 2 * 86_400_000) })
      .execute();
    const second = await startTestApp({
      identity,
      database: { url: undefined, dataDir: 'memory://', drop: async () => {} },
      shared,
      env,
    });
    try {
      const history = async (alias: string) =>
        (await call(second, 'GET', `/models/kept/aliases/${alias}/history`, operator)).json.items.map(
          (h: { fromVersion: number | null; toVersion: number }) => [h.fromVersion, h.toVersion],
        );
      const purged = await eventually(
        () => history('production'),
        (items) => items.length === 1,
        10_000,
      );
      expect(purged.value).toEqual([[2, 3]]);
      expect(await history('canary')).toEqual([[null, 1]]);
      const paged = await call(second, 'GET', '/models/kept/aliases/production/history?limit=1', operator);
      expect(paged.headers['x-total-count']).toBe('1');
      expect(paged.headers['x-next-offset']).toBeUndefined();
      const back = await call(second, 'POST', '/models/kept/aliases/production/rollback', operator);
      expect(back.status).toBe(200);
      expect(back.json.version).toBe(2);
      // The rollback is the newest of two entries now: a page of one says where the next starts.
      const first = await call(second, 'GET', '/models/kept/aliases/production/history?limit=1', operator);
      expect(first.headers['x-total-count']).toBe('2');
      expect(first.headers['x-next-offset']).toBe('1');
      expect(first.json.items[0].action).toBe('rollback');
    } finally {
      await second.close();
    }
  });
});
