import { rm } from 'node:fs/promises';
import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, irisInput, uploadRaw } from './helpers/http.js';
import { affineModel } from './helpers/models.js';
import { makeTempDir, startTestApp } from './helpers/test-app.js';

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`restart (${target.name})`, () => {
    let identity: TestIdentity;
    let database: TestDatabase;
    let dataDir: string;

    beforeAll(async () => {
      identity = await createTestIdentity();
      database = await target.create();
      dataDir = await makeTempDir();
    });
    afterAll(async () => {
      await database?.drop();
      await identity?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('keeps the registry, aliases, history and artifacts across a restart', async () => {
      const operator = await identity.token({ roles: ['operator'] });
      const first = await startTestApp({ identity, database, dataDir });
      try {
        expect((await uploadRaw(first, 'kept', affineModel(2, 0), operator)).status).toBe(201);
        expect((await uploadRaw(first, 'kept', affineModel(5, 0), operator)).status).toBe(201);
        expect(
          (await call(first, 'PUT', '/models/kept/aliases/production', operator, { version: 1 })).status,
        ).toBe(200);
        expect(
          (await call(first, 'PUT', '/models/kept/aliases/production', operator, { version: 2 })).status,
        ).toBe(200);
        expect(
          (await call(first, 'PUT', '/models/kept/aliases/staging', operator, { version: 1 })).status,
        ).toBe(200);
      } finally {
        await first.close();
      }

      const second = await startTestApp({ identity, database, dataDir });
      try {
        const model = await call(second, 'GET', '/models/kept', operator);
        expect(model.json).toMatchObject({ latestVersion: 2, aliases: { production: 2, staging: 1 } });
        const iris = await call(second, 'GET', '/models/iris-classifier/versions', operator);
        expect(iris.json.items).toHaveLength(1); // registered once, not again on restart
        const staging = await call(second, 'POST', '/v2/models/kept@staging/infer', operator, {
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }],
        });
        expect(staging.json).toMatchObject({ model_version: '1', outputs: [{ data: [2, 4, 6] }] });
        const back = await call(second, 'POST', '/models/kept/aliases/production/rollback', operator);
        expect(back.json.version).toBe(1);
        expect(
          (
            await call(
              second,
              'POST',
              '/v2/models/iris-classifier/infer',
              operator,
              irisInput([[5.1, 3.5, 1.4, 0.2]]),
            )
          ).status,
        ).toBe(200);
      } finally {
        await second.close();
      }
    }, 120_000);
  });
}
