import { describe, expect, it } from 'vitest';
import { constantOfShapeModel, reshapeModel, slowModel } from './helpers/edge-models.js';
import { call, irisInput, uploadRaw } from './helpers/http.js';
import { INFER_PATHS, useTestApp } from './helpers/test-app.js';

/** Answers and runs are bounded per version: a small request can never freeze the service. */

const shape = (a: number, b: number) => ({
  inputs: [{ name: 'shape', datatype: 'INT64', shape: [2], data: [a, b] }],
});

for (const lean of INFER_PATHS) {
  describe(`output and run-time limits (lean infer ${lean})`, () => {
    const app = useTestApp(
      { ML_WORKERS: '2', ML_PREDICTION_LOG_EVERY: '0', ML_LEAN_INFER: lean },
      async ({ t, operator }) => {
        expect((await uploadRaw(t, 'ones', constantOfShapeModel(), operator)).status).toBe(201);
      },
    );

    it('refuses an answer past the element limit with a V2 error naming the output, the limit and the setting', async () => {
      const res = await call(app.t, 'POST', '/v2/models/ones/infer', app.viewer, shape(4000, 4000));
      expect(res.status, res.body).toBe(422);
      expect(res.headers['x-error-code']).toBe('ML_OUTPUT_TOO_LARGE');
      expect(Object.keys(res.json)).toEqual(['error']);
      expect(res.json.error).toMatch(/16000000 elements \("ones" \[4000,4000\]\)/);
      expect(res.json.error).toMatch(/limit of 4194304 elements/);
      expect(res.json.error).toMatch(/PATCH \/models\/ones\/versions\/1 \{"limits":\{"maxOutputElements"/);
      // The service is fine afterwards.
      expect(
        (await call(app.t, 'POST', '/v2/models/ones/infer', app.viewer, shape(2, 2))).json.outputs[0].data,
      ).toEqual([1, 1, 1, 1]);
      const predict = await call(app.t, 'POST', '/models/ones/predict', app.viewer, {
        instances: [[4000, 4000]],
      });
      expect(predict.status, predict.body).toBe(422);
      expect(predict.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(predict.json.code).toBe('ML_OUTPUT_TOO_LARGE');
    });

    it('takes limits per version, and a "default" puts the default back', async () => {
      const patched = await call(app.t, 'PATCH', '/models/ones/versions/1', app.operator, {
        limits: { maxOutputElements: 100, maxOutputBytes: 2048 },
      });
      expect(patched.status, patched.body).toBe(200);
      expect(patched.json.settings.limits).toMatchObject({ maxOutputElements: 100, maxOutputBytes: 2048 });
      const elements = await call(app.t, 'POST', '/v2/models/ones/infer', app.viewer, shape(20, 20));
      expect(elements.status).toBe(422);
      expect(elements.json.error).toMatch(/400 elements .* limit of 100 elements/);
      // 100 elements fit the element limit, but not the byte limit once 0.1 is written out in full.
      const ok = await call(app.t, 'POST', '/v2/models/ones/infer', app.viewer, shape(10, 10));
      expect(ok.status).toBe(200);
      const bytes = await call(app.t, 'PATCH', '/models/ones/versions/1', app.operator, {
        limits: { maxOutputBytes: 1024 },
      });
      expect(bytes.status).toBe(200);
      const over = await call(app.t, 'POST', '/v2/models/ones/infer', app.viewer, shape(10, 50));
      expect(over.status).toBe(422);
      expect(over.json.error).toMatch(/limit of (100 elements|1024 bytes)/);
      const reset = await call(app.t, 'PATCH', '/models/ones/versions/1', app.operator, {
        limits: { maxOutputElements: 'default', maxOutputBytes: 'default' },
      });
      expect(reset.json.settings.limits).toMatchObject({
        maxOutputElements: 4194304,
        maxOutputBytes: 67108864,
      });
      expect((await call(app.t, 'POST', '/v2/models/ones/infer', app.viewer, shape(20, 20))).status).toBe(
        200,
      );
      const bad = await call(app.t, 'PATCH', '/models/ones/versions/1', app.operator, {
        limits: { maxOutputElements: 0 },
      });
      expect(bad.status).toBe(400);
      expect(bad.json.detail).toMatch(/maxOutputElements/);
    });

    it('writes a large answer off the event loop: small requests keep being answered meanwhile', async () => {
      await call(app.t, 'PATCH', '/models/ones/versions/1', app.operator, {
        limits: { maxOutputElements: 3_000_000 },
      });
      const address = await app.t.app.listen({ port: 0, host: '127.0.0.1' });
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${app.viewer}` };
      const post = (url: string, body: unknown) =>
        fetch(`${address}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
      // Warm the small path first, so the probes measure waiting, not first-use costs.
      expect((await post('/v2/models/iris-classifier/infer', irisInput([[5.1, 3.5, 1.4, 0.2]]))).status).toBe(
        200,
      );
      const started = performance.now();
      let done = false;
      const big = post('/v2/models/ones/infer', shape(1500, 1500)).then(async (r) => {
        const body = await r.arrayBuffer();
        done = true;
        return { status: r.status, bytes: body.byteLength, ms: performance.now() - started };
      });
      const probes: number[] = [];
      while (!done) {
        const t0 = performance.now();
        const r = await post('/v2/models/iris-classifier/infer', irisInput([[6.7, 3.0, 5.2, 2.3]]));
        expect(r.status).toBe(200);
        await r.arrayBuffer();
        probes.push(performance.now() - t0);
      }
      const result = await big;
      expect(result.status).toBe(200);
      expect(result.bytes).toBeGreaterThan(2_250_000 * 2);
      const report = `big answer ${result.bytes} bytes in ${result.ms.toFixed(0)} ms; small requests meanwhile: ${probes.map((p) => p.toFixed(0)).join(',')} ms`;
      console.log(report);
      expect(probes.length, report).toBeGreaterThanOrEqual(3);
      // Were the answer written on the event loop, one probe would wait for all of it.
      const sorted = [...probes].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]!, report).toBeLessThan(result.ms / 5);
      await call(app.t, 'PATCH', '/models/ones/versions/1', app.operator, {
        limits: { maxOutputElements: 'default' },
      });
    }, 120_000);

    it('stops a run past its time limit, replaces the worker, and serves the next request', async () => {
      expect((await uploadRaw(app.t, 'slow', slowModel(), app.operator)).status).toBe(201);
      const small = { inputs: [{ name: 'n', datatype: 'INT64', shape: [2], data: [3, 3] }] };
      expect(
        (await call(app.t, 'POST', '/v2/models/slow/infer', app.viewer, small)).json.outputs[0].data,
      ).toEqual([27]);
      expect(
        (await call(app.t, 'PATCH', '/models/slow/versions/1', app.operator, { limits: { timeoutMs: 100 } }))
          .status,
      ).toBe(200);
      const replacedBefore = app.t.pool.replaced();
      // 2 × 4000³ multiply-adds: well past 100 ms even on a fast host (2500 finished in time on one).
      const res = await call(app.t, 'POST', '/v2/models/slow/infer', app.viewer, {
        inputs: [{ name: 'n', datatype: 'INT64', shape: [2], data: [4000, 4000] }],
      });
      expect(res.status, res.body).toBe(422);
      expect(res.headers['x-error-code']).toBe('ML_RUN_TIMEOUT');
      expect(res.json.error).toMatch(/did not finish within 100 ms/);
      expect(app.t.pool.replaced()).toBe(replacedBefore + 1);
      // The replacement worker has every model again.
      const after = await call(app.t, 'POST', '/v2/models/slow/infer', app.viewer, small);
      expect(after.status, after.body).toBe(200);
      expect(after.json.outputs[0].data).toEqual([27]);
      expect(
        (
          await call(
            app.t,
            'POST',
            '/v2/models/iris-classifier/infer',
            app.viewer,
            irisInput([[5.1, 3.5, 1.4, 0.2]]),
          )
        ).status,
      ).toBe(200);
    }, 60_000);

    it('never names a server path in an error', async () => {
      expect((await uploadRaw(app.t, 'reshape', reshapeModel(), app.operator)).status).toBe(201);
      const res = await call(app.t, 'POST', '/v2/models/reshape/infer', app.viewer, {
        inputs: [
          { name: 'x', datatype: 'FP32', shape: [1, 3], data: [1, 2, 3] },
          { name: 'shape', datatype: 'INT64', shape: [2], data: [2, 2] },
        ],
      });
      expect(res.status).toBe(422);
      // The runtime's own message names its C++ source file by absolute path; the answer keeps its
      // sentence only.
      expect(res.json.error).toMatch(/cannot be reshaped to the requested shape/);
      expect(res.json.error).not.toMatch(/reshape_helper|\.h:\d+/);
      expect(res.json.error).not.toMatch(/(^|[\s'"(=])\//);
      const predict = await call(app.t, 'POST', '/models/reshape/predict', app.viewer, {
        instances: [{ x: [1, 2, 3], shape: [2, 2] }],
      });
      expect(predict.status).toBe(422);
      expect(predict.json.detail).toMatch(/cannot be reshaped to the requested shape/);
      expect(predict.json.detail).not.toMatch(/reshape_helper|\.h:\d+/);
      expect(predict.json.detail).not.toMatch(/(^|[\s'"(=])\//);
    });
  });
}
