import { afterEach, describe, expect, it } from 'vitest';
import { batchMixingModel, slowModel } from '../../test/helpers/edge-models.js';
import { affineModel } from '../../test/helpers/models.js';
import { createWorkerPool, type LoadOptions, type WorkerPool } from '../inference/worker-pool.js';
import { readSignature } from '../onnx/signature-reader.js';
import { createModelLoader, type LoadableVersion, type ModelLoaderOptions } from './model-loader.js';

const batchDefaults = { enabled: true, maxBatch: 16, maxDelayMs: 5, maxQueueRows: 64, maxInFlight: 1 };

function version(id: string, scale: number): { v: LoadableVersion; bytes: Uint8Array } {
  const bytes = affineModel(scale, 0);
  return {
    bytes,
    v: {
      id,
      modelName: 'affine',
      version: scale,
      sha256: id,
      sizeBytes: bytes.length,
      signature: readSignature(bytes),
    },
  };
}

describe('model loader', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  const setup = (maxModels: number, maxBytes = 1e9) => {
    pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
    const store = new Map<string, Uint8Array>();
    const unloaded: string[] = [];
    const loader = createModelLoader({
      pool,
      readArtifact: async (sha) => store.get(sha)!,
      maxModels,
      maxBytes,
      batchDefaults,
      limits: { maxOutputElements: 1_000_000, maxOutputBytes: 1 << 26, timeoutMs: 30_000 },
      onUnload: (v) => unloaded.push(v.id),
    });
    const add = (id: string, scale: number) => {
      const { v, bytes } = version(id, scale);
      store.set(id, bytes);
      return v;
    };
    return { loader, add, unloaded };
  };

  /** A loader over a wrapped pool, with its own artifact store. */
  const overPool = (over: WorkerPool, extra: Partial<ModelLoaderOptions> = {}) => {
    const store = new Map<string, Uint8Array>();
    const loader = createModelLoader({
      pool: over,
      readArtifact: async (sha) => store.get(sha)!,
      maxModels: 4,
      maxBytes: 1e9,
      batchDefaults,
      limits: { maxOutputElements: 1_000_000, maxOutputBytes: 1 << 26, timeoutMs: 30_000 },
      ...extra,
    });
    return { loader, store };
  };

  const x = () => ({ x: { type: 'float32' as const, dims: [1, 3], data: Float32Array.of(1, 2, 3) } });

  it('loads on first use, then serves from memory', async () => {
    const { loader, add } = setup(4);
    const v1 = add('v1', 2);
    const out = await loader.infer(v1, x(), 1);
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([2, 4, 6]);
    expect(loader.isLoaded('v1')).toBe(true);
    expect(loader.loaded()[0]!.batching).toBe(true);
  });

  it('evicts the least recently used version past the count limit', async () => {
    const { loader, add, unloaded } = setup(2);
    const [a, b, c] = [add('a', 1), add('b', 2), add('c', 3)];
    await loader.get(a);
    await loader.get(b);
    await loader.get(a); // a is now more recent than b
    await loader.get(c);
    expect(unloaded).toEqual(['b']);
    expect(
      loader
        .loaded()
        .map((e) => e.version.id)
        .sort(),
    ).toEqual(['a', 'c']);
  });

  it('evicts by bytes too', async () => {
    const { loader, add, unloaded } = setup(10, 1);
    await loader.get(add('a', 1));
    await loader.get(add('b', 2));
    expect(unloaded).toEqual(['a']);
  });

  it('lets requests in flight finish on a version that is being unloaded', async () => {
    const { loader, add, unloaded } = setup(4);
    const v1 = add('v1', 2);
    await loader.get(v1);
    const inFlight = Array.from({ length: 20 }, () => loader.infer(v1, x(), 1));
    await loader.unload('v1');
    const results = await Promise.all(inFlight);
    expect(results.every((r) => (r['y']!.data as Float32Array)[0] === 2)).toBe(true);
    expect(unloaded).toEqual(['v1']);
    // and it comes back on the next use
    expect(((await loader.infer(v1, x(), 1))['y']!.data as Float32Array)[2]).toBe(6);
  });

  describe('a version that is not batched', () => {
    const unbatched: LoadOptions = { settings: { intraOpThreads: 2 }, queueRuns: true };
    const recording = () => {
      pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
      const loads: { key: string; options: LoadOptions | undefined }[] = [];
      const unloads: string[] = [];
      const real = pool;
      const spy: WorkerPool = {
        ...real,
        load: (key, model, options) => {
          loads.push({ key, options });
          return real.load(key, model, options);
        },
        unload: (key) => {
          unloads.push(key);
          return real.unload(key);
        },
      };
      return { ...overPool(spy, { unbatched }), loads, unloads };
    };

    it('is loaded at once with the unbatched sessions when its settings turn batching off', async () => {
      const { loader, store, loads, unloads } = recording();
      const { v, bytes } = version('off', 2);
      store.set('off', bytes);
      const out = await loader.infer({ ...v, settings: { batching: 'off' } }, x(), 1);
      expect(Array.from(out['y']!.data as Float32Array)).toEqual([2, 4, 6]);
      expect(loads).toEqual([{ key: expect.stringMatching(/^off#/), options: unbatched }]);
      expect(unloads).toEqual([]);
      expect(loader.loaded()[0]!.batching).toBe(false);
    });

    it('is loaded again with the unbatched sessions when the check at load turns batching off', async () => {
      const { loader, store, loads, unloads } = recording();
      const bytes = batchMixingModel();
      store.set('mix', bytes);
      const entry = await loader.get({
        id: 'mix',
        modelName: 'mix',
        version: 1,
        sha256: 'mix',
        sizeBytes: bytes.length,
        signature: readSignature(bytes),
      });
      expect(entry.batching).toBe(false);
      expect(loads.map((l) => l.options)).toEqual([undefined, unbatched]);
      expect(unloads).toEqual([loads[0]!.key]);
      expect(entry.poolKey).toBe(loads[1]!.key);
    });

    it('keeps the batched sessions for a version that batches', async () => {
      const { loader, store, loads } = recording();
      const { v, bytes } = version('on', 3);
      store.set('on', bytes);
      expect((await loader.get(v)).batching).toBe(true);
      expect(loads.map((l) => l.options)).toEqual([undefined]);
    });
  });

  describe('single-row runs on the event loop', () => {
    const counting = (timeoutMs = 30_000) => {
      pool = createWorkerPool({ size: 1, settings: { intraOpThreads: 1 } });
      const real = pool;
      const runs = { count: 0 };
      const spy: WorkerPool = {
        ...real,
        run: (key, feeds, options) => {
          runs.count++;
          return real.run(key, feeds, options);
        },
      };
      const inline = { maxRunMs: 50, session: { intraOpThreads: 1 } };
      const limits = { maxOutputElements: 1_000_000, maxOutputBytes: 1 << 26, timeoutMs };
      return { ...overPool(spy, { inline, limits }), runs };
    };
    // A lone request is one that comes to a service whose event loop went idle since the last answer;
    // a timer alone does not make it so on a busy host (the loop may find the timer already due and
    // never wait), so wait until the loop has measurably idled.
    const pause = async () => {
      const idle = performance.eventLoopUtilization().idle;
      do await new Promise((r) => setTimeout(r, 2));
      while (performance.eventLoopUtilization().idle <= idle);
    };

    it('answers lone requests without a worker, and go to the workers when requests overlap', async () => {
      const { loader, store, runs } = counting();
      const { v, bytes } = version('lone', 2);
      store.set('lone', bytes);
      expect(loader.servingOf(v).loaded).toBe(false);
      await loader.get(v);
      const before = runs.count;
      for (let i = 0; i < 5; i++) {
        await pause();
        const out = await loader.infer(v, x(), 1);
        expect(Array.from(out['y']!.data as Float32Array)).toEqual([2, 4, 6]);
      }
      expect(runs.count).toBe(before);
      await pause();
      const many = await Promise.all(Array.from({ length: 8 }, () => loader.infer(v, x(), 1)));
      expect(many.every((r) => Array.from(r['y']!.data as Float32Array).join() === '2,4,6')).toBe(true);
      // Batched, the seven that came while the first ran share a run on the worker.
      expect(runs.count).toBeGreaterThan(before);
      expect(runs.count).toBeLessThanOrEqual(before + 7);
    });

    it('never for a model whose run time its input values decide, so its time limit holds', async () => {
      const { loader, store, runs } = counting(5_000);
      const bytes = slowModel();
      store.set('slow', bytes);
      const v: LoadableVersion = {
        id: 'slow',
        modelName: 'slow',
        version: 1,
        sha256: 'slow',
        sizeBytes: bytes.length,
        signature: readSignature(bytes),
      };
      await loader.get(v);
      const before = runs.count;
      await pause();
      const n = { n: { type: 'int64' as const, dims: [2], data: BigInt64Array.of(3n, 3n) } };
      await loader.infer(v, n, 1);
      expect(runs.count).toBe(before + 1);
    });

    it('is released with its version, and comes back when the version loads again', async () => {
      const { loader, store, runs } = counting();
      const { v, bytes } = version('again', 3);
      store.set('again', bytes);
      await loader.get(v);
      expect(loader.loaded()[0]!.inline).toBeDefined();
      await loader.unload('again');
      expect(loader.isLoaded('again')).toBe(false);
      await loader.get(v);
      const before = runs.count;
      await pause();
      expect(Array.from((await loader.infer(v, x(), 1))['y']!.data as Float32Array)).toEqual([3, 6, 9]);
      expect(runs.count).toBe(before);
    });
  });
});
