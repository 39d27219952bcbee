import { describe, expect, it } from 'vitest';
import { constantOfShapeModel, slowModel } from '../../test/helpers/edge-models.js';
import { sklearnStyleClassifier } from '../../test/helpers/exported-models.js';
import { affineModel, randomMlp } from '../../test/helpers/models.js';
import { notShapeBound } from '../onnx/shape-bound-ops.js';
import { readSignature } from '../onnx/signature-reader.js';
import { inlineBlocker, openInlineRunner } from './inline-runs.js';
import { WorkerTaskError } from './worker-pool.js';

const settings = { maxRunMs: 50, session: { intraOpThreads: 1 } };
const row = () => ({ x: { type: 'float32' as const, dims: [1, 3], data: Float32Array.of(1, 2, 3) } });
const limits = { maxElements: 1000, maxBytes: 1 << 20 };
/** Lets the event loop wait for I/O once, as it does between two clients' requests. */
const idle = () => new Promise((r) => setTimeout(r, 2));

describe('runs on the event loop', () => {
  it('takes models whose work follows from their input shapes, and no others', () => {
    expect(notShapeBound(affineModel())).toBeUndefined();
    expect(notShapeBound(randomMlp(1, [4, 8, 2]))).toBeUndefined();
    expect(notShapeBound(slowModel())).toBe('ConstantOfShape');
    expect(notShapeBound(constantOfShapeModel())).toBe('ConstantOfShape');
    expect(notShapeBound(sklearnStyleClassifier())).toMatch(/^ai\.onnx\.ml\./);
  });

  it('needs fixed shapes past the first dimension and a time limit well above the run', () => {
    const sig = readSignature(affineModel()).inputs;
    expect(inlineBlocker(affineModel(), sig, settings, 30_000)).toBeUndefined();
    expect(inlineBlocker(affineModel(), sig, { ...settings, maxRunMs: 0 }, 30_000)).toBe('off');
    expect(inlineBlocker(affineModel(), sig, settings, 100)).toBe('time limit too short');
    const open = [{ ...sig[0]!, dims: [{ param: 'N' }, { param: 'F' }] }];
    expect(inlineBlocker(affineModel(), open, settings, 30_000)).toMatch(/no fixed shape past/);
    expect(inlineBlocker(slowModel(), readSignature(slowModel()).inputs, settings, 30_000)).toBe(
      'op ConstantOfShape',
    );
  });

  it('runs a lone single-row request here, and sends what comes while a run is out to the workers', async () => {
    const bytes = affineModel(2, 0);
    const runner = await openInlineRunner(bytes, readSignature(bytes).inputs, row(), settings);
    expect(runner).toBeDefined();
    let onWorkers = 0;
    const workers = async () => {
      onWorkers++;
      await idle();
      return {
        outputs: { y: { type: 'float32' as const, dims: [1, 3], data: Float32Array.of(9, 9, 9) } },
        runMs: 0,
      };
    };
    await idle();
    const alone = await runner!.run(row(), limits, workers);
    expect(Array.from(alone.outputs['y']!.data as Float32Array)).toEqual([2, 4, 6]);
    expect(onWorkers).toBe(0);

    // Eight at once: the first runs here, the rest find it out and go to the workers.
    await idle();
    const many = await Promise.all(Array.from({ length: 8 }, () => runner!.run(row(), limits, workers)));
    expect(onWorkers).toBe(7);
    expect(many.filter((r) => (r.outputs['y']!.data as Float32Array)[0] === 2)).toHaveLength(1);

    // Answered just now with no wait for input since: a request that was already waiting.
    await runner!.run(row(), limits, workers);
    expect(onWorkers).toBe(8);

    // For a second after requests overlapped, a lone one still goes to the workers...
    await idle();
    await runner!.run(row(), limits, workers);
    expect(onWorkers).toBe(9);
    // ...then runs here again.
    await new Promise((r) => setTimeout(r, 1050));
    expect((await runner!.run(row(), limits, workers)).outputs['y']!.dims).toEqual([1, 3]);
    expect(onWorkers).toBe(9);

    // More than one row always goes to the workers.
    await idle();
    const two = { x: { type: 'float32' as const, dims: [2, 3], data: new Float32Array(6) } };
    await runner!.run(two, limits, workers);
    expect(onWorkers).toBe(10);
    await runner!.release();
  });

  it('refuses outputs past the limits as a worker does', async () => {
    const bytes = affineModel(2, 0);
    const runner = await openInlineRunner(bytes, readSignature(bytes).inputs, row(), settings);
    await idle();
    const err = await runner!
      .run(row(), { maxElements: 2, maxBytes: 1 << 20 }, () => Promise.reject(new Error('not here')))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerTaskError);
    expect((err as WorkerTaskError).code).toBe('OUTPUT_TOO_LARGE');
    expect((err as WorkerTaskError).size?.elements).toBe(3);
    await runner!.release();
  });

  it('is not opened for a model slower than the limit', async () => {
    const bytes = randomMlp(3, [256, 1024, 1024, 4]);
    const sample = { x: { type: 'float32' as const, dims: [1, 256], data: new Float32Array(256) } };
    const runner = await openInlineRunner(bytes, readSignature(bytes).inputs, sample, {
      ...settings,
      maxRunMs: 0.000_001,
    });
    expect(runner).toBeUndefined();
  });
});
