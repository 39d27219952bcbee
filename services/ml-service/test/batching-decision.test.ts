import { describe, expect, it } from 'vitest';
import { batchMixingModel } from './helpers/edge-models.js';
import { unnamedDimsModel } from './helpers/exported-models.js';
import { call, uploadRaw } from './helpers/http.js';
import { affineModel } from './helpers/models.js';
import { useTestApp } from './helpers/test-app.js';

/**
 * A version is batched only when its outputs follow the rows of its inputs: declared shapes
 * and a check at load decide, the decision is in the version's metadata, and `batching`
 * (on, off, auto) can be set per version. Concurrent callers always get their own answers.
 */

function batchRuns(metrics: string, model: string): { runs: number; rows: number } {
  const value = (name: string) => {
    const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`model="${model}"`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { runs: value('ml_batch_rows_count'), rows: value('ml_batch_rows_sum') };
}

describe('batching decisions', () => {
  // A long gathering delay: concurrent requests would certainly share runs if batching were on.
  const app = useTestApp({
    ML_BOOTSTRAP_IRIS: 'false',
    ML_MAX_QUEUE_DELAY_MS: '30',
    ML_PREDICTION_LOG_EVERY: '0',
  });

  const version = async (name: string) =>
    (await call(app.t, 'GET', `/models/${name}/versions/1`, app.viewer)).json;
  const load = async (name: string) =>
    expect((await call(app.t, 'POST', `/v2/repository/models/${name}/load`, app.operator)).status).toBe(200);

  it('does not batch a model whose outputs do not follow the batch, though its shapes claim they do', async () => {
    expect((await uploadRaw(app.t, 'mixing', batchMixingModel(), app.operator)).status).toBe(201);
    const before = await version('mixing');
    expect(before.batching).toMatchObject({ mode: 'auto', enabled: null });
    await load('mixing');
    const after = await version('mixing');
    expect(after.batching.enabled).toBe(false);
    expect(after.batching.reason).toMatch(/output "total" has shape \[1,4\] for 2 rows/);
    // 16 callers at once, each with its own row: each gets the answer for its row alone.
    const rows = Array.from({ length: 16 }, (_, i) => [i + 1, 0, i % 3, 0]);
    const results = await Promise.all(
      rows.map((r) =>
        call(app.t, 'POST', '/v2/models/mixing/infer', app.viewer, {
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: r }],
        }),
      ),
    );
    results.forEach((res, i) => {
      expect(res.status, res.body).toBe(200);
      const [total, nonzero] = res.json.outputs;
      expect(total).toMatchObject({ shape: [1, 4], data: rows[i] });
      const columns = rows[i]!.flatMap((v, j) => (v !== 0 ? [j] : []));
      expect(nonzero).toMatchObject({
        shape: [2, columns.length],
        data: [...columns.map(() => 0), ...columns],
      });
    });
    expect(batchRuns((await app.t.app.inject({ method: 'GET', url: '/metrics' })).body, 'mixing').runs).toBe(
      16,
    );
  });

  it('batches a row-wise model with a named batch dimension, and says why', async () => {
    expect((await uploadRaw(app.t, 'affine', affineModel(2, 1), app.operator)).status).toBe(201);
    await load('affine');
    const v = await version('affine');
    expect(v.batching).toMatchObject({ mode: 'auto', enabled: true });
    expect(v.batching.reason).toMatch(/keeps the inputs' batch dimension/);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(app.t, 'POST', '/v2/models/affine/infer', app.viewer, {
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3], data: [i, i, i] }],
        }),
      ),
    );
    results.forEach((res, i) => {
      expect(res.json.outputs[0].data).toEqual([2 * i + 1, 2 * i + 1, 2 * i + 1]);
    });
    const { runs, rows } = batchRuns(
      (await app.t.app.inject({ method: 'GET', url: '/metrics' })).body,
      'affine',
    );
    expect(rows).toBeGreaterThanOrEqual(12);
    expect(runs).toBeLessThan(rows);
  });

  it('leaves unnamed batch dimensions unbatched unless told "on", and "off" turns it off', async () => {
    expect((await uploadRaw(app.t, 'unnamed', unnamedDimsModel(), app.operator)).status).toBe(201);
    expect((await version('unnamed')).batching).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/unnamed/),
    });
    const on = await call(app.t, 'PATCH', '/models/unnamed/versions/1', app.operator, { batching: 'on' });
    expect(on.status, on.body).toBe(200);
    expect(on.json.settings.batching).toBe('on');
    await load('unnamed');
    expect((await version('unnamed')).batching).toMatchObject({ mode: 'on', enabled: true });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call(app.t, 'POST', '/v2/models/unnamed/infer', app.viewer, {
          inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 2], data: [i + 1, -i - 1] }],
        }),
      ),
    );
    results.forEach((res, i) => {
      expect(res.json.outputs[0].data).toEqual([3 * i + 3, -3 * i - 3]);
    });
    const off = await call(app.t, 'PATCH', '/models/unnamed/versions/1', app.operator, { batching: 'off' });
    expect(off.json.batching).toMatchObject({
      mode: 'off',
      enabled: false,
      reason: 'batching is off for this version',
    });
    // "on" cannot override what the check at load finds.
    await call(app.t, 'PATCH', '/models/mixing/versions/1', app.operator, { batching: 'on' });
    await load('mixing');
    expect((await version('mixing')).batching).toMatchObject({ mode: 'on', enabled: false });
    const bad = await call(app.t, 'PATCH', '/models/mixing/versions/1', app.operator, {
      batching: 'sometimes',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/body\.batching/);
  });
});
