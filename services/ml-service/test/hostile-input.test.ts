import {
  createTestIdentity,
  type TestDatabase,
  type TestIdentity,
  testDatabaseTargets,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFER_PATHS, startTestApp, type TestApp } from './helpers/test-app.js';

/** Malformed and hostile requests: every one must get a 4xx that says something, never a 5xx. */

const target = (await testDatabaseTargets())[0]!;

const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);

const cases: {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: string | Buffer;
  type?: string;
  /** What the detail must say, where a wrong one was once given. */
  detail?: RegExp;
}[] = [
  {
    name: 'truncated multipart',
    method: 'POST',
    url: '/models/h1/versions',
    body: '--xx\r\ncontent-disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
    type: 'multipart/form-data; boundary=xx',
  },
  {
    name: 'multipart without boundary',
    method: 'POST',
    url: '/models/h1/versions',
    body: 'abc',
    type: 'multipart/form-data',
  },
  { name: 'text upload', method: 'POST', url: '/models/h1/versions', body: 'abc', type: 'text/plain' },
  {
    name: 'upload to an invalid name',
    method: 'POST',
    url: '/models/..%2Fetc/versions',
    body: 'abc',
    type: 'application/octet-stream',
  },
  {
    name: 'deeply nested V2 data',
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    body: JSON.stringify({
      inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: deep(200) }],
    }),
    type: 'application/json',
  },
  {
    name: 'V2 shape of huge numbers',
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    body: JSON.stringify({ inputs: [{ name: 'features', datatype: 'FP32', shape: [1e15, 4], data: [1] }] }),
    type: 'application/json',
  },
  {
    name: 'V2 string shape',
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    body: JSON.stringify({ inputs: [{ name: 'features', datatype: 'FP32', shape: 'x', data: [1] }] }),
    type: 'application/json',
  },
  {
    name: 'V2 duplicate input',
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    body: JSON.stringify({
      inputs: [1, 2].map(() => ({ name: 'features', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] })),
    }),
    type: 'application/json',
  },
  {
    name: 'V2 proto pollution',
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    body: '{"__proto__": {"x": 1}, "inputs": []}',
    type: 'application/json',
  },
  { name: 'V2 version 0', method: 'GET', url: '/v2/models/iris-classifier/versions/0' },
  { name: 'V2 version text', method: 'GET', url: '/v2/models/iris-classifier/versions/abc/ready' },
  { name: 'V2 empty alias', method: 'GET', url: '/v2/models/iris-classifier@' },
  {
    name: 'predict nested rows',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: JSON.stringify({
      instances: [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    }),
    type: 'application/json',
  },
  {
    name: 'predict ragged rows',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: JSON.stringify({
      instances: [
        [1, 2, 3, 4],
        [1, 2],
      ],
    }),
    type: 'application/json',
  },
  {
    name: 'predict strings',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: JSON.stringify({ instances: [['a', 'b', 'c', 'd']] }),
    type: 'application/json',
  },
  {
    name: 'predict scalar rows',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: JSON.stringify({ instances: [1, 2] }),
    type: 'application/json',
    // Was "body.instances must be array": a flat list of numbers became typed storage first.
    // Each number is now read as a one-value row, which the model's shape refuses by name.
    detail: /^input "features": dimension 1 is 1, model expects 4/,
  },
  // Numbers past a double's range were read as Infinity: the model ran and answered NaN with a 200.
  {
    name: 'V2 number beyond a double',
    method: 'POST',
    url: '/v2/models/iris-classifier/infer',
    body: '{"inputs":[{"name":"features","datatype":"FP32","shape":[1,4],"data":[1e999,2,3,4]}]}',
    type: 'application/json',
  },
  {
    name: 'predict number beyond a double',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: '{"instances":[[5.1,-1e400,1.4,0.2]]}',
    type: 'application/json',
    detail: /^The tensor value -1e400 is beyond the range of a 64-bit float/,
  },
  {
    name: 'predict integer beyond a double',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: `{"instances":[[1${'0'.repeat(400)},3.5,1.4,0.2]]}`,
    type: 'application/json',
    detail: /^input "features": element 0 is beyond the range of a 64-bit float/,
  },
  {
    name: 'predict empty',
    method: 'POST',
    url: '/models/iris-classifier/predict',
    body: JSON.stringify({ instances: [] }),
    type: 'application/json',
    detail: /^body\.instances must NOT have fewer than 1 items/,
  },
  {
    name: 'predict bad version',
    method: 'POST',
    url: '/models/iris-classifier/predict?version=-1',
    body: JSON.stringify({ instances: [[1, 2, 3, 4]] }),
    type: 'application/json',
  },
  {
    name: 'alias move to text version',
    method: 'PUT',
    url: '/models/iris-classifier/aliases/staging',
    body: JSON.stringify({ version: 'two' }),
    type: 'application/json',
  },
  {
    name: 'alias move to missing version',
    method: 'PUT',
    url: '/models/iris-classifier/aliases/staging',
    body: JSON.stringify({ version: 99 }),
    type: 'application/json',
  },
  {
    name: 'alias with bad name',
    method: 'PUT',
    url: '/models/iris-classifier/aliases/Bad%20Name',
    body: JSON.stringify({ version: 1 }),
    type: 'application/json',
  },
  { name: 'rollback unknown alias', method: 'POST', url: '/models/iris-classifier/aliases/canary/rollback' },
  {
    name: 'patch unknown field',
    method: 'PATCH',
    url: '/models/iris-classifier',
    body: JSON.stringify({ owner: 'me' }),
    type: 'application/json',
  },
  {
    name: 'patch bad batching',
    method: 'PATCH',
    url: '/models/iris-classifier',
    body: JSON.stringify({ batching: { maxBatch: 0 } }),
    type: 'application/json',
  },
  {
    name: 'create bad name',
    method: 'POST',
    url: '/models',
    body: JSON.stringify({ name: 'UPPER CASE' }),
    type: 'application/json',
  },
  { name: 'list with bad limit', method: 'GET', url: '/models?limit=100000' },
  { name: 'log with bad version', method: 'GET', url: '/models/iris-classifier/predictions?version=x' },
];

for (const lean of INFER_PATHS) {
  describe(`hostile input (lean infer ${lean})`, () => {
    let identity: TestIdentity;
    let database: TestDatabase;
    let t: TestApp;
    let admin: string;

    beforeAll(async () => {
      identity = await createTestIdentity();
      database = await target.create();
      t = await startTestApp({ identity, database, env: { ML_LEAN_INFER: lean } });
      admin = await identity.token({ roles: ['admin'] });
    });
    afterAll(async () => {
      await t?.close();
      await database?.drop();
      await identity?.close();
    });

    it.each(cases)('$name: a 4xx with a reason', async (c) => {
      const res = await t.inject({
        method: c.method,
        url: c.url,
        headers: { authorization: `Bearer ${admin}`, ...(c.type ? { 'content-type': c.type } : {}) },
        ...(c.body !== undefined ? { payload: c.body } : {}),
      });
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      const body = JSON.parse(res.body);
      expect(String(body.detail ?? body.error ?? '').length, res.body).toBeGreaterThan(5);
      if (c.detail) expect(body.detail, res.body).toMatch(c.detail);
    });
  });
}
