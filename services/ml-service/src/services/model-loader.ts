import { mlErrors } from '../errors.js';
import { type BatchSettings, createMicroBatcher, type MicroBatcher } from '../inference/micro-batcher.js';
import { allocate, elementCount, type TensorMap } from '../inference/tensor.js';
import type { WorkerPool } from '../inference/worker-pool.js';
import { v2ToOrt } from '../onnx/data-types.js';
import { type ModelSignature, supportsBatching } from '../onnx/signature-reader.js';

/**
 * Loads model versions into the worker pool on first use, warms them up, keeps at most
 * `maxModels` versions / `maxBytes` of artifacts resident (least recently used goes first)
 * and unloads a version only once its in-flight requests are done, so a hot swap never
 * fails a request that already started on the old version.
 */

export interface LoadableVersion {
  id: string;
  modelName: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  signature: Pick<ModelSignature, 'inputs' | 'outputs'>;
  batch?: Partial<Pick<BatchSettings, 'enabled' | 'maxBatch' | 'maxDelayMs' | 'maxQueueRows'>>;
}

export interface LoadedModel {
  readonly version: LoadableVersion;
  readonly batching: boolean;
  readonly batcher: MicroBatcher;
  readonly loadedAt: Date;
  /** Key of this load in the workers: a reload after eviction gets a new one, so draining the old never unloads the new. */
  readonly poolKey: string;
  inFlight: number;
  lastUsed: number;
  released: boolean;
}

export interface ModelLoaderOptions {
  pool: WorkerPool;
  readArtifact: (sha256: string) => Promise<Uint8Array>;
  maxModels: number;
  maxBytes: number;
  batchDefaults: BatchSettings;
  onBatch?: (v: LoadableVersion, stats: { rows: number; requests: number; runMs: number }) => void;
  onUnload?: (v: LoadableVersion) => void;
  logger?: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
}

export interface ModelLoader {
  /** The loaded model, loading and warming it up first if needed. */
  get(version: LoadableVersion): Promise<LoadedModel>;
  infer(version: LoadableVersion, feeds: TensorMap, rows: number): Promise<TensorMap>;
  unload(versionId: string): Promise<boolean>;
  isLoaded(versionId: string): boolean;
  loaded(): LoadedModel[];
  /** Total rows waiting in every version's queue. */
  queuedRows(): number;
}

function warmupFeeds(sig: LoadableVersion['signature']): TensorMap {
  const feeds: TensorMap = {};
  for (const input of sig.inputs) {
    const dims = input.dims.map((d) => ('value' in d && d.value > 0 ? d.value : 1));
    const type = v2ToOrt(input.datatype);
    feeds[input.name] = { type, dims, data: allocate(type, elementCount(dims)) };
  }
  return feeds;
}

export function createModelLoader(opts: ModelLoaderOptions): ModelLoader {
  const entries = new Map<string, LoadedModel>();
  const loading = new Map<string, Promise<LoadedModel>>();
  /** Evicted while requests were still running on them: unloaded from workers when they drain. */
  const draining = new Set<LoadedModel>();
  let clock = 0;
  let loads = 0;

  const release = async (entry: LoadedModel) => {
    draining.delete(entry);
    entry.released = true;
    await opts.pool.unload(entry.poolKey).catch(() => undefined);
    opts.onUnload?.(entry.version);
    opts.logger?.info(
      { versionId: entry.version.id, model: entry.version.modelName },
      'model version unloaded',
    );
  };

  const evict = async (entry: LoadedModel) => {
    entries.delete(entry.version.id);
    if (entry.inFlight > 0) draining.add(entry);
    else await release(entry);
  };

  const enforceLimits = async (keep: string) => {
    const bytes = () => [...entries.values()].reduce((n, e) => n + e.version.sizeBytes, 0);
    while (entries.size > opts.maxModels || (entries.size > 1 && bytes() > opts.maxBytes)) {
      const victim = [...entries.values()]
        .filter((e) => e.version.id !== keep)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (!victim) break;
      await evict(victim);
    }
  };

  const load = async (v: LoadableVersion): Promise<LoadedModel> => {
    const started = performance.now();
    const bytes = await opts.readArtifact(v.sha256);
    const poolKey = `${v.id}#${++loads}`;
    await opts.pool.load(poolKey, bytes).catch((err: Error) => {
      // It loaded when it was uploaded: failing now is this replica's trouble (memory, runtime).
      opts.logger?.warn({ versionId: v.id, err: err.message }, 'loading a model version failed');
      throw mlErrors.ML_MODEL_LOAD_FAILED({ name: v.modelName, version: v.version });
    });
    try {
      await opts.pool.run(poolKey, warmupFeeds(v.signature));
    } catch (err) {
      // Zeros with every symbolic dim at 1 are a guess; a model may legitimately refuse them
      // (e.g. a Reshape needing a larger dim), so a failed warm-up is worth a warning, not a refusal.
      opts.logger?.warn({ versionId: v.id, err: (err as Error).message }, 'warm-up run failed; serving cold');
    }
    const batchable = supportsBatching(v.signature);
    const settings: BatchSettings = {
      ...opts.batchDefaults,
      ...v.batch,
      enabled: batchable && (v.batch?.enabled ?? opts.batchDefaults.enabled),
      maxInFlight: opts.batchDefaults.maxInFlight,
    };
    const entry: LoadedModel = {
      version: v,
      batching: settings.enabled,
      batcher: createMicroBatcher(
        settings,
        (feeds) => opts.pool.run(poolKey, feeds),
        (stats) => opts.onBatch?.(v, stats),
        {
          'opsmesh.onnx.model': v.modelName,
          'opsmesh.onnx.version': v.version,
          'opsmesh.onnx.version_id': v.id,
        },
      ),
      loadedAt: new Date(),
      poolKey,
      inFlight: 0,
      lastUsed: ++clock,
      released: false,
    };
    entries.set(v.id, entry);
    opts.logger?.info(
      {
        versionId: v.id,
        model: v.modelName,
        version: v.version,
        ms: Math.round(performance.now() - started),
        batching: entry.batching,
      },
      'model version loaded and warmed up',
    );
    await enforceLimits(v.id);
    return entry;
  };

  const get = (v: LoadableVersion): Promise<LoadedModel> => {
    const existing = entries.get(v.id);
    if (existing) {
      existing.lastUsed = ++clock;
      return Promise.resolve(existing);
    }
    let pending = loading.get(v.id);
    if (!pending) {
      pending = load(v).finally(() => loading.delete(v.id));
      loading.set(v.id, pending);
    }
    return pending;
  };

  return {
    get,
    async infer(v, feeds, rows) {
      // Take the resident entry synchronously so an unload issued right after this call sees
      // the request as in flight; an entry released between loading and use is loaded again.
      let entry = entries.get(v.id) ?? (await get(v));
      while (entry.released) entry = await get(v);
      entry.inFlight++;
      try {
        return await entry.batcher.submit(feeds, rows);
      } finally {
        entry.inFlight--;
        if (entry.inFlight === 0 && draining.has(entry)) await release(entry);
      }
    },
    async unload(versionId) {
      const entry = entries.get(versionId);
      if (!entry) return false;
      await evict(entry);
      return true;
    },
    isLoaded: (id) => entries.has(id),
    loaded: () => [...entries.values()],
    queuedRows: () => [...entries.values(), ...draining].reduce((n, e) => n + e.batcher.queuedRows(), 0),
  };
}
