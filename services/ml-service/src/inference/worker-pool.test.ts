import { afterEach, describe, expect, it } from 'vitest';
import { affineModel } from '../../test/helpers/models.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';

describe('worker pool', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it('loads a model in every worker and runs it off the main thread', async () => {
    pool = createWorkerPool({ size: 2, settings: { intraOpThreads: 1 } });
    const meta = await pool.load('v1', affineModel());
    expect(meta.inputs).toEqual([{ name: 'x', type: 'float32', shape: ['N', 3] }]);
    const res = await pool.run('v1', {
      x: { type: 'float32', dims: [2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) },
    });
    expect(Array.from(res.outputs['y']!.data as Float32Array)).toEqual([1, 3, 5, 7, 9, 11]);
    expect(res.outputs['y']!.dims).toEqual([2, 3]);
  });

  it('keeps the event loop free while a worker is busy', async () => {
    pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
    const started = Date.now();
    const busy = pool.sleep(400);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await busy;
    clearInterval(timer);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(ticks).toBeGreaterThan(15);
  });

  it('reports a run on an unknown model as an error, not a crash', async () => {
    pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
    await expect(pool.run('nope', {})).rejects.toThrow(/not loaded/);
  });

  it('refuses bytes that are not a model', async () => {
    pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
    await expect(pool.load('bad', new TextEncoder().encode('hello'))).rejects.toThrow();
    await expect(pool.run('bad', {})).rejects.toThrow(/not loaded/);
  });
});
