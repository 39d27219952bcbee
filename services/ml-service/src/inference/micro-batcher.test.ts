import { describe, expect, it } from 'vitest';
import { type BatchSettings, createMicroBatcher, OverloadError } from './micro-batcher.js';
import type { TensorMap } from './tensor.js';

const settings: BatchSettings = {
  enabled: true,
  maxBatch: 8,
  maxDelayMs: 20,
  maxQueueRows: 16,
  maxInFlight: 1,
};

function rowFeed(values: number[]): TensorMap {
  return { x: { type: 'float32', dims: [values.length, 1], data: Float32Array.from(values) } };
}

/** A fake model: y = x * 10, recording the batch sizes it saw and the most runs at once. */
function recorder(delayMs = 5) {
  const batches: number[] = [];
  const state = { running: 0, peak: 0 };
  const run = async (feeds: TensorMap) => {
    const x = feeds['x']!;
    batches.push(x.dims[0]!);
    state.peak = Math.max(state.peak, ++state.running);
    await new Promise((r) => setTimeout(r, delayMs));
    state.running--;
    const data = Float32Array.from(x.data as Float32Array, (v) => v * 10);
    return { outputs: { y: { type: 'float32' as const, dims: [...x.dims], data } }, runMs: delayMs };
  };
  return { batches, run, state };
}

describe('micro-batcher', () => {
  it('merges concurrent requests into one run and returns each caller its own rows in order', async () => {
    const r = recorder();
    const b = createMicroBatcher(settings, r.run);
    // The first runs at once on the idle model; the others arrive during that run and share the next.
    const results = await Promise.all([
      b.submit(rowFeed([0]), 1),
      b.submit(rowFeed([1]), 1),
      b.submit(rowFeed([2, 3]), 2),
      b.submit(rowFeed([4]), 1),
    ]);
    expect(r.batches).toEqual([1, 4]);
    expect(results.map((o) => Array.from(o['y']!.data as Float32Array))).toEqual([[0], [10], [20, 30], [40]]);
    expect(results[2]!['y']!.dims).toEqual([2, 1]);
  });

  it('caps a batch at maxBatch rows and runs the rest next', async () => {
    const r = recorder();
    const b = createMicroBatcher({ ...settings, maxBatch: 4 }, r.run);
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => b.submit(rowFeed([i]), 1)));
    expect(r.batches.every((n) => n <= 4)).toBe(true);
    expect(r.batches.reduce((a, c) => a + c, 0)).toBe(10);
    expect(all.map((o) => (o['y']!.data as Float32Array)[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => i * 10),
    );
  });

  it('runs one request per run when batching is off', async () => {
    const r = recorder();
    const b = createMicroBatcher({ ...settings, enabled: false }, r.run);
    await Promise.all([b.submit(rowFeed([1]), 1), b.submit(rowFeed([2]), 1), b.submit(rowFeed([3]), 1)]);
    expect(r.batches).toEqual([1, 1, 1]);
  });

  it('with batching off, runs up to maxInFlight requests at once, each on its own', async () => {
    const r = recorder(30);
    const b = createMicroBatcher({ ...settings, enabled: false, maxInFlight: 2 }, r.run);
    const out = await Promise.all([1, 2, 3, 4, 5].map((v) => b.submit(rowFeed([v]), 1)));
    expect(out.map((o) => Array.from(o['y']!.data as Float32Array))).toEqual([[10], [20], [30], [40], [50]]);
    expect(r.batches).toEqual([1, 1, 1, 1, 1]);
    expect(r.state.peak).toBe(2);
    expect(b.inFlight()).toBe(0);
  });

  it('refuses work beyond the queue bound with an OverloadError', async () => {
    const r = recorder(30);
    const b = createMicroBatcher({ ...settings, maxQueueRows: 4, maxBatch: 100 }, r.run);
    const accepted = [1, 2, 3, 4].map((v) => b.submit(rowFeed([v]), 1));
    // accepted[0] went straight to the idle model, so the queue holds 3 rows and takes one more.
    accepted.push(b.submit(rowFeed([5]), 1));
    await expect(b.submit(rowFeed([6]), 1)).rejects.toBeInstanceOf(OverloadError);
    await Promise.all(accepted);
    expect(b.queuedRows()).toBe(0);
  });

  it('does not merge requests whose trailing dimensions differ', async () => {
    const r = recorder();
    const b = createMicroBatcher(settings, r.run);
    const wide: TensorMap = { x: { type: 'float32', dims: [1, 2], data: Float32Array.of(1, 2) } };
    await Promise.all([
      b.submit(rowFeed([0]), 1),
      b.submit(rowFeed([1]), 1),
      b.submit(wide, 1),
      b.submit(rowFeed([3]), 1),
    ]);
    expect(r.batches.sort()).toEqual([1, 1, 2]);
  });

  it('fails every caller of a batch whose run fails', async () => {
    const b = createMicroBatcher(settings, async () => {
      throw new Error('boom');
    });
    const results = await Promise.allSettled([b.submit(rowFeed([1]), 1), b.submit(rowFeed([2]), 1)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('micro-batcher safety', () => {
  it('answers each caller from its own run when a merged run cannot be split by rows, and stops merging', async () => {
    let runs = 0;
    const reasons: string[] = [];
    // A model that sums over the batch: one row out, whatever comes in.
    const run = async (feeds: TensorMap) => {
      runs++;
      const x = feeds['x']!.data as Float32Array;
      await new Promise((r) => setTimeout(r, 5));
      return {
        outputs: {
          y: { type: 'float32' as const, dims: [1, 1], data: Float32Array.of(x.reduce((a, b) => a + b, 0)) },
        },
        runMs: 5,
      };
    };
    const b = createMicroBatcher(settings, run, undefined, {}, (why) => reasons.push(why));
    const first = b.submit(rowFeed([100]), 1); // runs alone at once
    const rest = [1, 2, 3].map((v) => b.submit(rowFeed([v]), 1)); // merged while it runs
    const answers = await Promise.all([first, ...rest]);
    expect(answers.map((a) => Array.from(a['y']!.data as Float32Array))).toEqual([[100], [1], [2], [3]]);
    expect(reasons).toEqual(['output "y" has shape [1,1] for a batch of 3 rows']);
    const before = runs;
    await Promise.all([4, 5].map((v) => b.submit(rowFeed([v]), 1)));
    expect(runs - before).toBe(2);
  });
});
