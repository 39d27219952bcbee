import { afterEach, describe, expect, it } from 'vitest';
import { slowModel } from '../../test/helpers/edge-models.js';
import { affineModel } from '../../test/helpers/models.js';
import { createWorkerPool, RunTimeoutError, WorkerLostError, type WorkerPool } from './worker-pool.js';

/** Feeds of the slow model: an n x n matrix of ones squared (n^3 multiply-adds). */
const square = (n: number) => ({
  n: { type: 'int64' as const, dims: [2], data: BigInt64Array.of(BigInt(n), BigInt(n)) },
});
const row = { x: { type: 'float32' as const, dims: [1, 3], data: Float32Array.of(0, 1, 2) } };

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

  it('queues runs of one model on the worker running it, and sends other models to the idle one', async () => {
    pool = createWorkerPool({ size: 2, settings: { intraOpThreads: 1 } });
    await pool.load('slow', slowModel(), { settings: { intraOpThreads: 2 }, queueRuns: true });
    await pool.load('affine', affineModel(), { queueRuns: true });
    const runs = [pool.run('slow', square(400)), pool.run('slow', square(2)), pool.run('affine', row)];
    const [first, second, other] = await Promise.all(runs);
    expect(second!.worker).toBe(first!.worker);
    expect(other!.worker).not.toBe(first!.worker);
    expect(Number((second!.outputs['total']!.data as Float32Array)[0])).toBe(8);
    // Once the model's runs are answered, its next run may go to any worker again.
    expect([0, 1]).toContain((await pool.run('slow', square(2))).worker);
  });

  it('spreads runs of a model loaded without queueRuns over the workers', async () => {
    pool = createWorkerPool({ size: 2, settings: { intraOpThreads: 1 } });
    await pool.load('slow', slowModel());
    const [a, b] = await Promise.all([pool.run('slow', square(400)), pool.run('slow', square(2))]);
    expect(b!.worker).not.toBe(a!.worker);
  });

  it('fails the runs queued behind a run past its time limit, then serves on the replacement', async () => {
    pool = createWorkerPool({ size: 2, settings: { intraOpThreads: 1 } });
    await pool.load('slow', slowModel(), { queueRuns: true });
    const long = pool.run('slow', square(2500), { timeoutMs: 100 });
    const queued = pool.run('slow', square(2));
    await expect(long).rejects.toBeInstanceOf(RunTimeoutError);
    await expect(queued).rejects.toBeInstanceOf(WorkerLostError);
    expect(pool.replaced()).toBe(1);
    const after = await pool.run('slow', square(3));
    expect(Number((after.outputs['total']!.data as Float32Array)[0])).toBe(27);
  }, 30_000);
});
