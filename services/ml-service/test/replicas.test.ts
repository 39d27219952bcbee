import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createTestIdentity,
  eventually,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, irisInput, uploadRaw } from './helpers/http.js';
import { affineModel } from './helpers/models.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Two replicas of the ML service over one PostgreSQL database, each with its own disk (cache
 * directory) and worker pool: what any replica took, every replica serves.
 */

const x = (v: number) => ({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [v, v, v] }] });

async function cachedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.onnx')).map((e) => join(e.parentPath, e.name));
}

const [, postgres] = await testDatabaseTargets();

describe.skipIf(postgres!.skipReason)('two ML replicas over one PostgreSQL', () => {
  let identity: TestIdentity;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let operator: string;
  let viewer: string;

  beforeAll(async () => {
    identity = await createTestIdentity();
    database = await postgres!.create();
    // Started together on an empty database: the shipped model must be registered once.
    // Three aliases a model: small enough for the concurrent-create test to pass it.
    const env = { ML_MAX_ALIASES_PER_MODEL: '3' };
    [a, b] = await Promise.all([
      startTestApp({ identity, database, env }),
      startTestApp({ identity, database, env }),
    ]);
    operator = await identity.token({ roles: ['operator'] });
    viewer = await identity.token({ roles: ['viewer'] });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await identity?.close();
  });

  it('registers the shipped model once when two replicas start together', async () => {
    const versions = await call(a, 'GET', '/models/iris-classifier/versions', viewer);
    expect(versions.json.items.map((v: { version: number }) => v.version)).toEqual([1]);
    const history = await call(b, 'GET', '/models/iris-classifier/aliases/production/history', viewer);
    expect(history.json.items).toHaveLength(1);
    for (const t of [a, b]) {
      const res = await call(
        t,
        'POST',
        '/v2/models/iris-classifier/infer',
        viewer,
        irisInput([[5.1, 3.5, 1.4, 0.2]]),
      );
      expect(res.status).toBe(200);
    }
  });

  it('lets exactly ML_MAX_ALIASES_PER_MODEL of 10 aliases created at once on both replicas through', async () => {
    expect((await uploadRaw(a, 'many-aliases', affineModel(2, 0), operator)).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i % 2 ? a : b, 'PUT', `/models/many-aliases/aliases/a${i}`, operator, { version: 1 }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 409).map((r) => r.json.code)).toEqual(
      Array(7).fill('ML_TOO_MANY_ALIASES'),
    );
    expect((await call(b, 'GET', '/models/many-aliases/aliases', viewer)).json.items).toHaveLength(3);
  });

  it('serves on one replica a model uploaded through the other, from a verified cache after the first load', async () => {
    expect((await uploadRaw(a, 'shared', affineModel(2, 0), operator)).status).toBe(201);
    const res = await call(b, 'POST', '/v2/models/shared/infer', viewer, x(1));
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ model_version: '1', outputs: [{ data: [2, 2, 2] }] });
    // B fetched the file from the database into its own cache; A's disk was never involved.
    expect((await cachedFiles(b.artifactDir)).length).toBeGreaterThan(0);
  });

  it('fetches a corrupt or missing cached file again instead of failing', async () => {
    expect((await uploadRaw(a, 'cached', affineModel(4, 0), operator)).status).toBe(201);
    expect((await call(b, 'POST', '/v2/models/cached/infer', viewer, x(1))).status).toBe(200);
    const version = await call(b, 'GET', '/models/cached/versions/1', viewer);
    const file = (await cachedFiles(b.artifactDir)).find((f) => f.includes(version.json.sha256))!;
    await writeFile(file, 'damaged bytes');
    await call(b, 'POST', '/v2/repository/models/cached/unload', operator);
    const again = await call(b, 'POST', '/v2/models/cached/infer', viewer, x(1));
    expect(again.status, again.body).toBe(200);
    expect(again.json.outputs[0].data).toEqual([4, 4, 4]);
  });

  it('answers 503 without a server path when the store cannot give the file, never a 4xx', async () => {
    expect((await uploadRaw(a, 'lost', affineModel(5, 0), operator)).status).toBe(201);
    const version = await call(a, 'GET', '/models/lost/versions/1', viewer);
    // The file goes missing from the store (a damaged restore, say) before B ever cached it.
    await b.database.db.deleteFrom('ml_blobs').where('sha256', '=', version.json.sha256).execute();
    const v2 = await call(b, 'POST', '/v2/models/lost/infer', viewer, x(1));
    expect(v2.status).toBe(503);
    expect(v2.headers['x-error-code']).toBe('ML_ARTIFACT_UNAVAILABLE');
    expect(v2.body).not.toMatch(/\/tmp|\/work|ENOENT|\.onnx/);
    const predict = await call(b, 'POST', '/models/lost/predict', viewer, { instances: [[1, 1, 1]] });
    expect(predict.status).toBe(503);
    expect(predict.json).toMatchObject({ code: 'ML_ARTIFACT_UNAVAILABLE', status: 503 });
    expect(predict.body).not.toMatch(/\/tmp|\/work|ENOENT|\.onnx/);
  });

  it('serves an alias move on both replicas within 2 s, the new target warmed up where the model is served', async () => {
    await uploadRaw(a, 'moving', affineModel(2, 0), operator);
    await uploadRaw(a, 'moving', affineModel(3, 0), operator);
    await call(a, 'PUT', '/models/moving/aliases/production', operator, { version: 1 });
    for (const t of [a, b])
      expect((await call(t, 'POST', '/v2/models/moving/infer', viewer, x(1))).json.model_version).toBe('1');
    expect((await call(a, 'PUT', '/models/moving/aliases/production', operator, { version: 2 })).status).toBe(
      200,
    );
    const seen = await eventually(
      () => call(b, 'POST', '/v2/models/moving/infer', viewer, x(1)),
      (r) => r.json?.model_version === '2',
    );
    expect(seen.value.json.model_version).toBe('2');
    expect(seen.ms).toBeLessThan(2000);
    // B loaded version 2 because of the move, before any request of its own asked for it.
    const versions = await call(b, 'GET', '/models/moving/versions', viewer);
    expect(versions.json.items.find((v: { version: number }) => v.version === 2).loaded).toBe(true);
  });

  it('hot-swaps across replicas under load with zero failed requests', async () => {
    await uploadRaw(a, 'swap2', affineModel(2, 0), operator);
    await uploadRaw(a, 'swap2', affineModel(3, 0), operator);
    await call(a, 'PUT', '/models/swap2/aliases/production', operator, { version: 1 });
    const seen: { status: number; version: string; ok: boolean }[] = [];
    let moved = false;
    const client = async (t: TestApp, c: number) => {
      for (let i = 0, after = 0; i < 30 || after < 3; i++) {
        if (moved) after++;
        const res = await call(t, 'POST', '/v2/models/swap2/infer', viewer, x(c));
        const version = res.json?.model_version;
        seen.push({
          status: res.status,
          version,
          ok: res.json?.outputs?.[0]?.data?.[0] === c * (Number(version) + 1),
        });
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, c) => client(c % 2 ? a : b, c + 1)));
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(a, 'PUT', '/models/swap2/aliases/production', operator, { version: 2 })).status).toBe(
      200,
    );
    moved = true;
    await load;
    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(seen.every((s) => s.ok)).toBe(true);
    expect(seen.some((s) => s.version === '2')).toBe(true);
  });

  it('unloads everywhere, and frees a deleted version on every replica and in the store', async () => {
    await uploadRaw(a, 'gone', affineModel(6, 0), operator);
    await uploadRaw(a, 'gone', affineModel(7, 0), operator);
    for (const t of [a, b]) await call(t, 'POST', '/v2/models/gone/versions/1/infer', viewer, x(1));
    const loaded = (t: TestApp) =>
      call(t, 'GET', '/models/gone/versions/1', viewer).then((r) => r.json.loaded);
    expect(await loaded(b)).toBe(true);
    expect((await call(a, 'POST', '/v2/repository/models/gone/unload', operator)).status).toBe(200);
    expect(
      (
        await eventually(
          () => loaded(b),
          (l) => l === false,
        )
      ).value,
    ).toBe(false);

    await call(b, 'POST', '/v2/models/gone/versions/1/infer', viewer, x(1));
    const v1 = await call(a, 'GET', '/models/gone/versions/1', viewer);
    expect(
      (await call(a, 'DELETE', '/models/gone/versions/1', await identity.token({ roles: ['admin'] }))).status,
    ).toBe(204);
    const blobs = await a.database.db
      .selectFrom('ml_blobs')
      .select('sha256')
      .where('sha256', '=', v1.json.sha256)
      .execute();
    expect(blobs).toEqual([]);
    // B forgets the version as soon as the change reaches it.
    const b1 = await eventually(
      () => call(b, 'POST', '/v2/models/gone/versions/1/infer', viewer, x(1)),
      (r) => r.status === 404,
    );
    expect(b1.value.status).toBe(404);
    expect(b1.ms).toBeLessThan(2000);
    expect(await loaded(b).catch(() => false)).toBeFalsy();
  });

  it('moves model files a replica kept on its disk into the database at start (upgrade from local files)', async () => {
    expect((await uploadRaw(a, 'legacy', affineModel(8, 0), operator)).status).toBe(201);
    const version = await call(a, 'GET', '/models/legacy/versions/1', viewer);
    const sha = version.json.sha256 as string;
    // As an older release left it: the version row in the database, the file only on one disk.
    const bytes = affineModel(8, 0);
    await a.database.db.deleteFrom('ml_blobs').where('sha256', '=', sha).execute();
    const legacyDir = await import('./helpers/test-app.js').then((m) => m.makeTempDir());
    await mkdir(join(legacyDir, 'ml', 'artifacts', sha.slice(0, 2)), { recursive: true });
    await writeFile(join(legacyDir, 'ml', 'artifacts', sha.slice(0, 2), `${sha}.onnx`), bytes);
    const c = await startTestApp({
      identity,
      database,
      dataDir: legacyDir,
      env: { ML_BOOTSTRAP_IRIS: 'false' },
    });
    try {
      const stored = await a.database.db
        .selectFrom('ml_blobs')
        .select('sha256')
        .where('sha256', '=', sha)
        .execute();
      expect(stored).toHaveLength(1);
      // Now a replica that never had the file serves it.
      const res = await call(b, 'POST', '/v2/models/legacy/infer', viewer, x(1));
      expect(res.status, res.body).toBe(200);
      expect(res.json.outputs[0].data).toEqual([8, 8, 8]);
    } finally {
      await c.close();
    }
  });
});
