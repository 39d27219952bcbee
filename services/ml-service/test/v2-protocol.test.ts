import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, irisInput, uploadRaw } from './helpers/http.js';
import { affineModel, foreignStyleModel, halfModel, stringModel } from './helpers/models.js';
import { INFER_PATHS, startTestApp, type TestApp } from './helpers/test-app.js';

const setosa = [5.1, 3.5, 1.4, 0.2];
const virginica = [7.7, 3.0, 6.1, 2.3];

for (const target of await testDatabaseTargets()) {
  for (const lean of INFER_PATHS) {
    describe.skipIf(target.skipReason)(`Open Inference Protocol (${target.name}, lean infer ${lean})`, () => {
      let identity: TestIdentity;
      let database: TestDatabase;
      let t: TestApp;
      let viewer: string;
      let operator: string;

      beforeAll(async () => {
        identity = await createTestIdentity();
        database = await target.create();
        t = await startTestApp({ identity, database, env: { ML_LEAN_INFER: lean } });
        viewer = await identity.token({ roles: ['viewer'] });
        operator = await identity.token({ roles: ['operator'] });
      });
      afterAll(async () => {
        await t?.close();
        await database?.drop();
        await identity?.close();
      });

      it('answers health and server metadata without credentials', async () => {
        expect((await call(t, 'GET', '/v2/health/live')).json).toEqual({ live: true });
        expect((await call(t, 'GET', '/v2/health/ready')).json).toEqual({ ready: true });
        const meta = await call(t, 'GET', '/v2');
        expect(meta.json).toMatchObject({
          name: 'ml-service',
          extensions: ['model_repository', 'binary_tensor_data'],
        });
      });

      it('describes the shipped model with V2 shapes (-1 for the dynamic batch)', async () => {
        const res = await call(t, 'GET', '/v2/models/iris-classifier', viewer);
        expect(res.status).toBe(200);
        expect(res.json).toEqual({
          name: 'iris-classifier',
          versions: ['1'],
          platform: 'onnxruntime_onnx',
          inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
          outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [-1, 3] }],
          // The file's metadata_props.
          parameters: { metadata: expect.objectContaining({ classes: expect.any(String) }) },
        });
        expect((await call(t, 'GET', '/v2/models/iris-classifier/versions/1', viewer)).json.name).toBe(
          'iris-classifier',
        );
        expect((await call(t, 'GET', '/v2/models/iris-classifier@production', viewer)).status).toBe(200);
      });

      it('reports readiness per model and version', async () => {
        expect((await call(t, 'GET', '/v2/models/iris-classifier/ready', viewer)).json).toEqual({
          name: 'iris-classifier',
          version: '1',
          ready: true,
        });
        expect((await call(t, 'GET', '/v2/models/iris-classifier/versions/1/ready', viewer)).json.ready).toBe(
          true,
        );
      });

      it('infers, echoing the id, with nested or flat data', async () => {
        const res = await call(t, 'POST', '/v2/models/iris-classifier/infer', viewer, {
          id: 'req-42',
          ...irisInput([setosa, virginica]),
        });
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({ model_name: 'iris-classifier', model_version: '1', id: 'req-42' });
        const out = res.json.outputs[0];
        expect(out).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [2, 3] });
        const rows = [out.data.slice(0, 3), out.data.slice(3, 6)] as number[][];
        expect(rows.map((r) => r.indexOf(Math.max(...r)))).toEqual([0, 2]);
        const flat = await call(t, 'POST', '/v2/models/iris-classifier/versions/1/infer', viewer, {
          inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: setosa }],
          outputs: [{ name: 'probabilities' }],
        });
        expect(flat.status).toBe(200);
        expect(flat.json.outputs[0].data).toEqual(out.data.slice(0, 3));
      });

      it.each([
        [
          'wrong tensor name',
          { inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: setosa }] },
          /unknown input "x"/,
        ],
        [
          'wrong datatype',
          { inputs: [{ name: 'features', datatype: 'INT64', shape: [1, 4], data: [1, 2, 3, 4] }] },
          /datatype INT64 given, model expects FP32/,
        ],
        [
          'wrong shape',
          { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }] },
          /"features": dimension 1 is 3, model expects 4/,
        ],
        [
          'wrong element count',
          { inputs: [{ name: 'features', datatype: 'FP32', shape: [2, 4], data: setosa }] },
          /"features": shape \[2,4\] needs 8 elements, data has 4/,
        ],
        [
          'text for a number',
          { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: [1, 'nan', 2, 3] }] },
          /"features": element 1 is not a number \(NaN and Infinity are written "NaN", "Infinity", "-Infinity"\) \(got "nan"\)/,
        ],
        [
          'too many rows',
          {
            inputs: [{ name: 'features', datatype: 'FP32', shape: [2000, 4], data: new Array(8000).fill(1) }],
          },
          /2000 rows exceed the limit of 1024/,
        ],
        [
          'unknown datatype',
          { inputs: [{ name: 'features', datatype: 'FLOAT', shape: [1, 4], data: setosa }] },
          /datatype FLOAT given/,
        ],
        ['no inputs', { inputs: [] }, /inputs/],
        [
          'unknown output',
          { ...irisInput([setosa]), outputs: [{ name: 'logits' }] },
          /unknown output "logits"/,
        ],
        [
          'missing data',
          { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }] },
          /input "features" has no "data"/,
        ],
      ])('refuses %s with 400 and a V2 error body', async (_label, body, message) => {
        const res = await call(t, 'POST', '/v2/models/iris-classifier/infer', viewer, body);
        expect(res.status).toBe(400);
        expect(Object.keys(res.json)).toEqual(['error']);
        expect(res.json.error).toMatch(message);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
      });

      it('refuses malformed JSON and non-object bodies with a V2 error', async () => {
        const res = await t.inject({
          method: 'POST',
          url: '/v2/models/iris-classifier/infer',
          headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' },
          payload: '{"inputs": [',
        });
        expect(res.statusCode).toBe(400);
        expect(JSON.parse(res.body)).toHaveProperty('error');
        const notObject = await call(t, 'POST', '/v2/models/iris-classifier/infer', viewer, [1, 2]);
        expect(notObject.status).toBe(400);
        expect(notObject.json).toHaveProperty('error');
      });

      it('answers unknown models, versions and aliases with 404 {error}', async () => {
        for (const url of [
          '/v2/models/nope',
          '/v2/models/iris-classifier/versions/99',
          '/v2/models/iris-classifier@staging',
          '/v2/models/nope/ready',
        ]) {
          const res = await call(t, 'GET', url, viewer);
          expect(res.status, url).toBe(404);
          expect(typeof res.json.error).toBe('string');
        }
        const infer = await call(t, 'POST', '/v2/models/nope/infer', viewer, irisInput([setosa]));
        expect(infer.status).toBe(404);
        expect(infer.json.error).toMatch(/No model named "nope"/);
        // Behind the gateway, the route it names is the one the caller can use.
        const behind = await call(t, 'POST', '/v2/models/nope/infer', viewer, irisInput([setosa]), {
          'x-forwarded-prefix': '/api/ml',
        });
        expect(behind.json.error).toBe('No model named "nope"; GET /api/ml/models lists them.');
        expect((await call(t, 'GET', '/v2/models/Bad!Name', viewer)).status).toBe(400);
      });

      it('requires a token on model endpoints, with V2 error bodies', async () => {
        const res = await call(t, 'POST', '/v2/models/iris-classifier/infer', undefined, irisInput([setosa]));
        expect(res.status).toBe(401);
        expect(res.json).toHaveProperty('error');
        const forbidden = await call(t, 'POST', '/v2/repository/models/iris-classifier/unload', viewer);
        expect(forbidden.status).toBe(403);
        expect(forbidden.json.error).toMatch(/models:write/);
      });

      it('lists, loads and unloads through the repository extension', async () => {
        // Loaded here, not left to the tests before: the test stands alone (and in any order).
        expect((await call(t, 'POST', '/v2/repository/models/iris-classifier/load', operator)).status).toBe(
          200,
        );
        const index = await call(t, 'POST', '/v2/repository/index', viewer, {});
        expect(index.json).toContainEqual({
          name: 'iris-classifier',
          version: '1',
          state: 'READY',
          reason: '',
        });
        expect((await call(t, 'POST', '/v2/repository/models/iris-classifier/unload', operator)).status).toBe(
          200,
        );
        const after = await call(t, 'POST', '/v2/repository/index', viewer, { ready: true });
        expect(after.json.find((r: { name: string }) => r.name === 'iris-classifier')).toBeUndefined();
        expect((await call(t, 'POST', '/v2/repository/models/iris-classifier/load', operator)).status).toBe(
          200,
        );
        const ready = (await call(t, 'POST', '/v2/repository/index', viewer, { ready: true })).json as {
          name: string;
          state: string;
        }[];
        expect(ready.map((r) => r.name)).toContain('iris-classifier');
        expect(ready.every((r) => r.state === 'READY')).toBe(true);
        expect((await call(t, 'POST', '/v2/repository/models/nope/load', operator)).status).toBe(404);
      });

      it('lists the whole repository, or a page of it, saying how much there is', async () => {
        for (const name of ['idx-a', 'idx-b', 'idx-c']) {
          expect((await uploadRaw(t, name, affineModel(), operator)).status).toBe(201);
        }
        expect((await uploadRaw(t, 'idx-b', affineModel(3), operator)).status).toBe(201);
        const all = await call(t, 'POST', '/v2/repository/index', viewer, {});
        const total = Number(all.headers['x-total-count']);
        expect(total).toBe(all.json.length);
        expect(all.headers['x-next-offset']).toBeUndefined();
        const ours = all.json.filter((r: { name: string }) => r.name.startsWith('idx-'));
        expect(ours.map((r: { name: string; version: string }) => `${r.name}/${r.version}`)).toEqual([
          'idx-a/1',
          'idx-b/1',
          'idx-b/2',
          'idx-c/1',
        ]);
        const first = await call(t, 'POST', '/v2/repository/index', viewer, { limit: 2 });
        expect(first.json).toEqual(all.json.slice(0, 2));
        expect(first.headers['x-total-count']).toBe(String(total));
        expect(first.headers['x-next-offset']).toBe('2');
        const rest = await call(t, 'POST', '/v2/repository/index', viewer, { limit: 1000, offset: 2 });
        expect(rest.json).toEqual(all.json.slice(2));
        expect(rest.headers['x-next-offset']).toBeUndefined();
        expect((await call(t, 'POST', '/v2/repository/index', viewer, { limit: 0 })).status).toBe(400);
      });

      it('takes and returns BYTES tensors as JSON strings, each concurrent caller getting its own rows', async () => {
        const up = await uploadRaw(t, 'strings', stringModel(), operator);
        expect(up.status, up.body).toBe(201);
        expect(up.json.inputs).toEqual([{ name: 'labels', datatype: 'BYTES', shape: ['N', 2] }]);
        const rows = [
          ['alpha', 'βeta'],
          ['', 'a "quoted" \\ value'],
          ['日本', 'x'.repeat(300)],
        ];
        const results = await Promise.all(
          rows.map((r, i) =>
            call(t, 'POST', '/v2/models/strings/infer', viewer, {
              id: `req-${i}`,
              inputs: [{ name: 'labels', datatype: 'BYTES', shape: [1, 2], data: r }],
            }),
          ),
        );
        results.forEach((res, i) => {
          expect(res.status, res.body).toBe(200);
          expect(res.json.id).toBe(`req-${i}`);
          expect(res.json.outputs[0]).toEqual({
            name: 'echo',
            datatype: 'BYTES',
            shape: [1, 2],
            data: rows[i],
          });
        });
        const notText = await call(t, 'POST', '/v2/models/strings/infer', viewer, {
          inputs: [{ name: 'labels', datatype: 'BYTES', shape: [1, 2], data: ['ok', 5] }],
        });
        expect(notText.status).toBe(400);
        expect(notText.json.error).toMatch(/"labels": element 1 is not a string/);
      });

      it('takes and returns FP16 tensors as JSON numbers, rounded to the nearest half', async () => {
        const up = await uploadRaw(t, 'half', halfModel(), operator);
        expect(up.status, up.body).toBe(201);
        expect(up.json.inputs).toEqual([{ name: 'x', datatype: 'FP16', shape: ['N', 3] }]);
        const res = await call(t, 'POST', '/v2/models/half/infer', viewer, {
          inputs: [{ name: 'x', datatype: 'FP16', shape: [2, 3], data: [1, 0.1, -2.5, 65504, 2 ** -24, 0] }],
        });
        expect(res.status, res.body).toBe(200);
        const [y, z] = res.json.outputs;
        expect(y).toMatchObject({ name: 'y', datatype: 'FP32', shape: [2, 3] });
        // 0.1 is not a half: it comes back as the nearest one, 0.0999755859375.
        expect(y.data).toEqual([1, 0.0999755859375, -2.5, 65504, 2 ** -24, 0]);
        expect(z).toEqual({ name: 'z', datatype: 'FP16', shape: [2, 3], data: y.data });
        const tooBig = await call(t, 'POST', '/v2/models/half/infer', viewer, {
          inputs: [{ name: 'x', datatype: 'FP16', shape: [1, 3], data: [1, 70000, 0] }],
        });
        expect(tooBig.status).toBe(400);
        expect(tooBig.json.error).toMatch(/"x": element 1 is not a number within FP16 range/);
      });

      it('serves a model exported by another toolchain (INT64 input, two outputs) unchanged', async () => {
        const up = await uploadRaw(t, 'foreign', foreignStyleModel(), operator);
        expect(up.status).toBe(201);
        // The weight listed among the graph inputs is an initializer, not something callers feed.
        expect(up.json.inputs).toEqual([{ name: 'int_input', datatype: 'INT64', shape: ['batch_size', 2] }]);
        const meta = await call(t, 'GET', '/v2/models/foreign', viewer);
        expect(meta.json.outputs).toEqual([
          { name: 'output_label', datatype: 'INT64', shape: [-1] },
          { name: 'output_probability', datatype: 'FP32', shape: [-1, 2] },
        ]);
        const rows = [
          [3, 1],
          [0, 5],
          [2, 2],
          [9, 4],
        ];
        const results = await Promise.all(
          rows.map((r) =>
            call(t, 'POST', '/v2/models/foreign/infer', viewer, {
              inputs: [{ name: 'int_input', datatype: 'INT64', shape: [1, 2], data: r }],
            }),
          ),
        );
        expect(results.map((r) => r.json.outputs[0])).toEqual(
          [0, 1, 0, 0].map((label) => ({
            name: 'output_label',
            datatype: 'INT64',
            shape: [1],
            data: [label],
          })),
        );
        expect(results[1]!.json.outputs[1].data[1]).toBeGreaterThan(0.99);
        const predict = await call(t, 'POST', '/models/foreign/predict', viewer, {
          instances: [
            [0, 5],
            [5, 0],
          ],
        });
        expect(predict.json.outputs.output_label).toEqual([1, 0]);
        const fractional = await call(t, 'POST', '/v2/models/foreign/infer', viewer, {
          inputs: [{ name: 'int_input', datatype: 'INT64', shape: [1, 2], data: [1.5, 2] }],
        });
        expect(fractional.status).toBe(400);
        expect(fractional.json.error).toMatch(/"int_input": element 0 is not an integer/);
      });

      it('serves a model with a fixed batch size without batching, and a model given by version', async () => {
        expect((await uploadRaw(t, 'fixed', affineModel(3, 0, 2), operator)).status).toBe(201);
        const res = await call(t, 'POST', '/v2/models/fixed/versions/1/infer', viewer, {
          inputs: [{ name: 'x', datatype: 'FP32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }],
        });
        expect(res.status).toBe(200);
        expect(res.json.outputs[0].data).toEqual([3, 6, 9, 12, 15, 18]);
        const wrongBatch = await call(t, 'POST', '/v2/models/fixed/infer', viewer, {
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] }],
        });
        expect(wrongBatch.status).toBe(400);
        expect(wrongBatch.json.error).toMatch(/dimension 0 is 1, model expects 2/);
      });
    });
  }
}
