import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, uploadRaw } from './helpers/http.js';
import { affineModel } from './helpers/models.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('versions and aliases per model are bounded (ML_MAX_VERSIONS_PER_MODEL, ML_MAX_ALIASES_PER_MODEL)', () => {
  let identity: TestIdentity;
  let database: TestDatabase;
  let t: TestApp;
  let operator: string;
  let admin: string;
  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await (await testDatabaseTargets())[0]!.create();
    t = await startTestApp({
      identity,
      database,
      env: { ML_BOOTSTRAP_IRIS: 'false', ML_MAX_VERSIONS_PER_MODEL: '2', ML_MAX_ALIASES_PER_MODEL: '2' },
    });
    operator = await identity.token({ roles: ['operator'] });
    admin = await identity.token({ roles: ['admin'] });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    await identity?.close();
  });

  it('refuses an upload past the limit with a 409 naming it and what to delete; a delete makes room', async () => {
    for (const scale of [2, 3])
      expect((await uploadRaw(t, 'capped', affineModel(scale, 1), operator)).status).toBe(201);
    const over = await uploadRaw(t, 'capped', affineModel(4, 1), operator);
    expect(over.status).toBe(409);
    expect(over.headers['content-type']).toMatch(/problem\+json/);
    expect(over.json.code).toBe('ML_TOO_MANY_VERSIONS');
    expect(over.json.detail).toContain('holds 2 versions');
    expect(over.json.detail).toContain('DELETE /models/capped/versions/{version}');
    // Nothing of the refused upload was kept.
    expect((await call(t, 'GET', '/models/capped/versions', operator)).json.items).toHaveLength(2);

    // Another model has its own count.
    expect((await uploadRaw(t, 'other', affineModel(2, 1), operator)).status).toBe(201);

    expect((await call(t, 'DELETE', '/models/capped/versions/1', admin)).status).toBe(204);
    const again = await uploadRaw(t, 'capped', affineModel(5, 1), operator);
    expect(again.status).toBe(201);
    expect(again.json.version).toBe(3);
  });

  it('lists versions a page at a time with x-total-count and x-next-offset', async () => {
    const first = await call(t, 'GET', '/models/capped/versions?limit=1', operator);
    expect(first.status).toBe(200);
    expect(first.json.items.map((v: { version: number }) => v.version)).toEqual([2]);
    expect(first.headers['x-total-count']).toBe('2');
    expect(first.headers['x-next-offset']).toBe('1');
    const second = await call(t, 'GET', '/models/capped/versions?limit=1&offset=1', operator);
    expect(second.json.items.map((v: { version: number }) => v.version)).toEqual([3]);
    expect(second.headers['x-next-offset']).toBeUndefined();
    const all = await call(t, 'GET', '/models/capped/versions', operator);
    expect(all.json.items).toHaveLength(2);
    expect(all.headers['x-total-count']).toBe('2');
    const models = await call(t, 'GET', '/models?limit=1', operator);
    expect(models.headers['x-total-count']).toBe('2');
    expect(models.json.total).toBe(2);
    expect(models.headers['x-next-offset']).toBe('1');
    for (const bad of ['?limit=0', '?limit=1001', '?offset=-1', '?page=2']) {
      const res = await call(t, 'GET', `/models/capped/versions${bad}`, operator);
      expect(res.status, bad).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });

  it('refuses a new alias past the limit with a 409 naming it; moving an existing alias still works', async () => {
    const put = (alias: string, version: number) =>
      call(t, 'PUT', `/models/capped/aliases/${alias}`, operator, { version });
    expect((await put('prod', 2)).status).toBe(200);
    expect((await put('canary', 3)).status).toBe(200);
    const over = await put('staging', 2);
    expect(over.status).toBe(409);
    expect(over.headers['content-type']).toMatch(/problem\+json/);
    expect(over.json.code).toBe('ML_TOO_MANY_ALIASES');
    expect(over.json.detail).toContain('holds 2 aliases');
    expect(over.json.detail).toContain('DELETE /models/capped/aliases/{alias}');
    expect((await put('canary', 2)).status).toBe(200);
    expect((await call(t, 'DELETE', '/models/capped/aliases/canary', operator)).status).toBe(204);
    expect((await put('staging', 3)).status).toBe(200);
  });
});
