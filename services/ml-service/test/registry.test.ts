import { readdir, readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  createTestIdentity,
  stalledUpload,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, irisInput, uploadRaw } from './helpers/http.js';
import { affineModel, randomMlp } from './helpers/models.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const irisFile = new URL('../models/iris-classifier.onnx', import.meta.url);

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) out.push(entry.name);
  }
  return out;
}

function multipart(fields: Record<string, string>, file: { name: string; bytes: Uint8Array }) {
  const boundary = '----opsmeshtest';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="${file.name}"; filename="m.onnx"\r\ncontent-type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const target of await testDatabaseTargets()) {
  describe.skipIf(target.skipReason)(`model registry (${target.name})`, () => {
    let identity: TestIdentity;
    let database: TestDatabase;
    let t: TestApp;
    let viewer: string;
    let operator: string;
    let admin: string;

    beforeAll(async () => {
      identity = await createTestIdentity();
      database = await target.create();
      t = await startTestApp({ identity, database, env: { ML_MAX_UPLOAD_BYTES: '200000' } });
      viewer = await identity.token({ roles: ['viewer'] });
      operator = await identity.token({ roles: ['operator'], sub: 'usr_operator1' });
      admin = await identity.token({ roles: ['admin'] });
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
      await identity?.close();
    });

    it('registers the shipped iris-classifier with alias production on first start', async () => {
      const list = await call(t, 'GET', '/models', viewer);
      expect(list.status).toBe(200);
      const iris = list.json.items.find((m: { name: string }) => m.name === 'iris-classifier');
      expect(iris).toMatchObject({ latestVersion: 1, aliases: { production: 1 }, owner: 'system' });
      expect(iris.id).toMatch(/^mdl_/);
      const v = await call(t, 'GET', '/models/iris-classifier/versions/1', viewer);
      expect(v.json.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(v.json.inputs).toEqual([{ name: 'features', datatype: 'FP32', shape: ['N', 4] }]);
      expect(v.json.metadata.classes).toBe('Iris-setosa,Iris-versicolor,Iris-virginica');
      expect(v.json.aliases).toEqual(['production']);
    });

    it('uploads raw and multipart versions, numbered in order, stored by SHA-256', async () => {
      const raw = await uploadRaw(t, 'affine', affineModel(2, 1), operator);
      expect(raw.status).toBe(201);
      expect(raw.json).toMatchObject({
        model: 'affine',
        version: 1,
        createdBy: 'usr_operator1',
        inputs: [{ name: 'x', datatype: 'FP32', shape: ['N', 3] }],
      });
      const form = multipart({ description: 'second' }, { name: 'file', bytes: affineModel(3, 0) });
      const mp = await call(t, 'POST', '/models/affine/versions', operator, form.body, {
        'content-type': form.contentType,
      });
      expect(mp.status).toBe(201);
      expect(mp.json).toMatchObject({ version: 2, description: 'second' });
      // Stored in the database every replica reads, not on this replica's disk.
      const stored = await t.database.db
        .selectFrom('ml_blobs')
        .select('sha256')
        .where('sha256', '=', mp.json.sha256)
        .execute();
      expect(stored).toHaveLength(1);
      const versions = await call(t, 'GET', '/models/affine/versions', viewer);
      expect(versions.json.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    });

    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00', 'latin1'), Buffer.from('archive/data.pkl')]);
    it.each([
      ['text', Buffer.from('this is not a model\n'), 'text', /not a valid protobuf/],
      ['JSON', Buffer.from('{"weights": [0.1, 0.2], "bias": 1}'), 'JSON text', /not a valid protobuf/],
      ['a zip', zip, 'a ZIP archive', /not a valid protobuf/],
      [
        'random bytes',
        Buffer.from(Uint8Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)),
        undefined,
        /not a valid protobuf/,
      ],
    ])(
      'refuses %s as not an ONNX model, naming the exporters, leaving nothing behind',
      async (_label, bytes, kind, parser) => {
        const filesBefore = await listFiles(t.artifactDir);
        const blobsBefore = await t.database.db.selectFrom('ml_blobs').select('sha256').execute();
        const res = await uploadRaw(t, 'corrupt', bytes, operator);
        expect(res.status).toBe(422);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json).toMatchObject({
          code: 'ML_NOT_ONNX_MODEL',
          status: 422,
          title: 'Not an ONNX model',
        });
        expect(res.json.detail).toMatch(/^The upload is not an ONNX model[;.]/);
        expect(res.json.detail).toMatch(/torch\.onnx\.export .*skl2onnx .*tf2onnx/);
        if (kind) expect(res.json.detail).toContain(`it looks like ${kind}`);
        else expect(res.json.detail).not.toContain('looks like');
        // The parser's own message is kept, apart from the sentence for people.
        expect(res.json.errors).toEqual([{ field: 'file', message: expect.stringMatching(parser) }]);
        expect(await listFiles(t.artifactDir)).toEqual(filesBefore);
        expect(await t.database.db.selectFrom('ml_blobs').select('sha256').execute()).toEqual(blobsBefore);
        expect((await call(t, 'GET', '/models/corrupt', viewer)).status).toBe(404);
      },
    );

    it('refuses an ONNX model cut short with 422 naming why, leaving nothing behind', async () => {
      const blobsBefore = await t.database.db.selectFrom('ml_blobs').select('sha256').execute();
      const res = await uploadRaw(
        t,
        'corrupt',
        Buffer.from(randomMlp(5, [4, 16, 3]).slice(0, 300)),
        operator,
      );
      expect(res.status).toBe(422);
      expect(res.json.detail).toMatch(/not (a loadable|an) ONNX model/);
      expect(await t.database.db.selectFrom('ml_blobs').select('sha256').execute()).toEqual(blobsBefore);
    });

    it('refuses empty, oversized and wrongly typed uploads with clear 4xx', async () => {
      const empty = await uploadRaw(t, 'x1', new Uint8Array(0), operator);
      expect(empty.status).toBe(400);
      expect(empty.json.code).toBe('ML_EMPTY_UPLOAD');
      expect(empty.json.detail).toMatch(/^No model bytes received: send the \.onnx file/);
      // Every 413 names the real limit: with a Content-Length, streamed without one, and as a form.
      const big = await uploadRaw(t, 'x1', new Uint8Array(300_000), operator);
      expect(big.status).toBe(413);
      expect(big.json.detail).toMatch(/limit of 200000 bytes/);
      const streamed = await t.app.inject({
        method: 'POST',
        url: '/models/x1/versions',
        headers: {
          authorization: `Bearer ${operator}`,
          'content-type': 'application/octet-stream',
          'transfer-encoding': 'chunked',
        },
        payload: Readable.from([Buffer.alloc(150_000), Buffer.alloc(150_000)]),
      });
      expect(streamed.statusCode).toBe(413);
      expect(streamed.json().detail).toMatch(/limit of 200000 bytes/);
      const form = multipart({}, { name: 'file', bytes: new Uint8Array(300_000) });
      const bigForm = await call(t, 'POST', '/models/x1/versions', operator, form.body, {
        'content-type': form.contentType,
      });
      expect(bigForm.status).toBe(413);
      expect(bigForm.json.code).toBe('ML_UPLOAD_TOO_LARGE');
      expect(bigForm.json.detail).toMatch(/limit of 200000 bytes/);
      const json = await call(t, 'POST', '/models/x1/versions', operator, { model: 'nope' });
      expect(json.status).toBe(415);
      expect(json.json.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(json.json.detail).toMatch(/application\/octet-stream or multipart\/form-data/);
      const noFile = multipart({ description: 'd' }, { name: 'other', bytes: affineModel() });
      const missing = await call(t, 'POST', '/models/x1/versions', operator, noFile.body, {
        'content-type': noFile.contentType,
      });
      expect(missing.status).toBe(400);
      expect(missing.json.code).toBe('ML_EMPTY_UPLOAD');
    });

    it("delivers a refused upload's answer to a client that stops reading for 3 s mid-upload", async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as import('node:net').AddressInfo;
      const cases = [
        { token: operator, status: 413 },
        { token: viewer, status: 403 },
      ];
      const wrong: string[] = [];
      await Promise.all(
        cases.flatMap((c) =>
          [false, true].map(async (chunked) => {
            const got = await stalledUpload(`http://127.0.0.1:${port}/models/x1/versions`, {
              bytes: 1_200_000,
              stallMs: 3_000,
              chunked,
              headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${c.token}` },
            });
            if (!got.startsWith(`HTTP/1.1 ${c.status} `))
              wrong.push(`${c.status} chunked=${chunked}: ${got.slice(0, 40) || 'nothing'}`);
          }),
        ),
      );
      expect(wrong).toEqual([]);
    }, 60_000);

    it('moves an alias atomically, records who/from/to, rolls back, and predicts with the version that served', async () => {
      await uploadRaw(t, 'iris-classifier', new Uint8Array(await readFile(irisFile)), operator);
      const move = await call(t, 'PUT', '/models/iris-classifier/aliases/production', operator, {
        version: 2,
      });
      expect(move.status).toBe(200);
      expect(move.json).toMatchObject({ alias: 'production', version: 2, updatedBy: 'usr_operator1' });
      const served = await call(t, 'POST', '/models/iris-classifier/predict', viewer, {
        instances: [[5.1, 3.5, 1.4, 0.2]],
      });
      expect(served.json).toMatchObject({
        model: 'iris-classifier',
        version: 2,
        alias: 'production',
        labels: ['Iris-setosa'],
      });
      const back = await call(t, 'POST', '/models/iris-classifier/aliases/production/rollback', operator);
      expect(back.status).toBe(200);
      expect(back.json.version).toBe(1);
      const history = await call(t, 'GET', '/models/iris-classifier/aliases/production/history', viewer);
      expect(
        history.json.items.map((h: { action: string; fromVersion: number | null; toVersion: number }) => [
          h.action,
          h.fromVersion,
          h.toVersion,
        ]),
      ).toEqual([
        ['rollback', 2, 1],
        ['move', 1, 2],
        ['move', null, 1],
      ]);
      expect(history.json.items[1].changedBy).toBe('usr_operator1');
      const v2 = await call(
        t,
        'POST',
        '/v2/models/iris-classifier/infer',
        viewer,
        irisInput([[5.1, 3.5, 1.4, 0.2]]),
      );
      expect(v2.json.model_version).toBe('1');
    });

    it('predicts with named features and explains bad instances', async () => {
      const named = await call(t, 'POST', '/models/iris-classifier/predict', viewer, {
        instances: [{ sepal_length_cm: 7.7, sepal_width_cm: 3.0, petal_length_cm: 6.1, petal_width_cm: 2.3 }],
      });
      expect(named.status).toBe(200);
      expect(named.json.labels).toEqual(['Iris-virginica']);
      expect(named.json.predictions[0]).toHaveLength(3);
      const unknownFeature = await call(t, 'POST', '/models/iris-classifier/predict', viewer, {
        instances: [{ petal: 1 }],
      });
      expect(unknownFeature.status).toBe(400);
      expect(unknownFeature.json.detail).toMatch(/unknown feature "petal"/);
      const short = await call(t, 'POST', '/models/iris-classifier/predict', viewer, {
        instances: [[1, 2, 3]],
      });
      expect(short.status).toBe(400);
      expect(short.json.detail).toMatch(/"features": dimension 1 is 3, model expects 4/);
      const byVersion = await call(t, 'POST', '/models/iris-classifier/predict?version=2', viewer, {
        instances: [[1, 2, 3, 4]],
      });
      expect(byVersion.json.version).toBe(2);
      expect(
        (
          await call(t, 'POST', '/models/iris-classifier/predict?alias=staging', viewer, {
            instances: [[1, 2, 3, 4]],
          })
        ).status,
      ).toBe(404);
    });

    it('falls back to the latest version when there is no production alias', async () => {
      const res = await call(t, 'POST', '/models/affine/predict', viewer, { instances: [[1, 2, 3]] });
      expect(res.json).toMatchObject({ version: 2, alias: null, predictions: [[3, 6, 9]] });
    });

    it('will not delete a version an alias points at, nor a model with aliases', async () => {
      const inUse = await call(t, 'DELETE', '/models/iris-classifier/versions/1', admin);
      expect(inUse.status).toBe(409);
      expect(inUse.json.detail).toMatch(/"production"/);
      expect((await call(t, 'DELETE', '/models/iris-classifier', admin)).status).toBe(409);
      const removed = await call(t, 'DELETE', '/models/affine/versions/1', admin);
      expect(removed.status).toBe(204);
      expect((await call(t, 'GET', '/models/affine/versions/1', viewer)).status).toBe(404);
    });

    it('keeps a sampled prediction log readable by API', async () => {
      await call(t, 'POST', '/models/iris-classifier/predict', viewer, { instances: [[6.0, 2.2, 5.0, 1.5]] });
      let items: {
        version: number;
        caller: string;
        rows: number;
        endpoint: string;
        inputSummary: unknown[];
      }[] = [];
      // The log is written after the answer: wait for this request's entry, not an earlier one.
      const mine = () =>
        items[0]?.endpoint === 'predict' &&
        (items[0].inputSummary as { head?: number[] }[])[0]?.head?.[0] === 6;
      for (let i = 0; i < 100 && !mine(); i++) {
        items = (await call(t, 'GET', '/models/iris-classifier/predictions?limit=5', viewer)).json.items;
        if (!mine()) await new Promise((r) => setTimeout(r, 20));
      }
      expect(items.length).toBeGreaterThan(0);
      expect(items[0]).toMatchObject({ model: 'iris-classifier', endpoint: 'predict', rows: 1 });
      expect(items[0]!.caller).toMatch(/^usr_/);
      expect(items[0]!.inputSummary).toEqual([
        expect.objectContaining({ name: 'features', shape: [1, 4], head: [6, expect.any(Number), 5, 1.5] }),
      ]);
      // A page at a time: the total, and where the next page starts until the last.
      await call(t, 'POST', '/models/iris-classifier/predict', viewer, { instances: [[5.0, 3.0, 1.5, 0.2]] });
      let first = await call(t, 'GET', '/models/iris-classifier/predictions?limit=1', viewer);
      for (let i = 0; i < 100 && Number(first.headers['x-total-count']) < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        first = await call(t, 'GET', '/models/iris-classifier/predictions?limit=1', viewer);
      }
      const total = Number(first.headers['x-total-count']);
      expect(total).toBeGreaterThanOrEqual(2);
      expect(first.headers['x-next-offset']).toBe('1');
      const last = await call(
        t,
        'GET',
        `/models/iris-classifier/predictions?limit=1&offset=${total - 1}`,
        viewer,
      );
      expect(last.json.items).toHaveLength(1);
      // The log is written after each answer, so entries may have arrived since: a next page is
      // named exactly when the total grew.
      const now = Number(last.headers['x-total-count']);
      expect(last.headers['x-next-offset']).toBe(now > total ? String(total) : undefined);
    });

    it('exposes per-model metrics', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.body).toMatch(/ml_inference_requests_total\{[^}]*model="iris-classifier"[^}]*outcome="ok"/);
      expect(res.body).toMatch(/ml_batch_rows_bucket\{[^}]*model="iris-classifier"/);
      expect(res.body).toMatch(/ml_inference_duration_seconds_bucket/);
      expect(res.body).toMatch(/ml_queue_depth_rows/);
    });
  });
}
