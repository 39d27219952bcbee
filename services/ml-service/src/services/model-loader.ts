import { mlErrors } from '../errors.js';
import {
  type BatchingDecision,
  type BatchingMode,
  decideBatching,
  declaredBlocker,
} from '../inference/batching-policy.js';
import {
  type InlineRunner,
  type InlineSettings,
  inlineBlocker,
  openInlineRunner,
} from '../inference/inline-runs.js';
import { type BatchSettings, createMicroBatcher, type MicroBatcher } from '../inference/micro-batcher.js';
import { allocate, elementCount, type TensorMap } from '../inference/tensor.js';
import type { LoadOptions, WorkerPool } from '../inference/worker-pool.js';
import { v2ToOrt } from '../onnx/data-types.js';
import type { ModelSignature } from '../onnx/signature-reader.js';

/**
 * Loads model versions into the worker pool on first use, warms them up, keeps at most
 * `maxModels` versions / `maxBytes` of artifacts resident (least recently used goes first)
 * and unloads a version only once its in-flight requests are done, so a hot swap never
 * fails a request that already started on the old version.
 */

/** What one version may take and give: answer size and run time bounds. */
export interface ServingLimits {
  maxOutputElements: number;
  maxOutputBytes: number;
  timeoutMs: number;
}

/** Settings of one version (unset ones follow the service's defaults). */
export interface VersionSettings extends Partial<ServingLimits> {
  batching?: BatchingMode;
}

export interface LoadableVersion {
  id: string;
  modelName: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  signature: Pick<ModelSignature, 'inputs' | 'outputs'>;
  batch?: Partial<Pick<BatchSettings, 'enabled' | 'maxBatch' | 'maxDelayMs' | 'maxQueueRows'>>;
  settings?: VersionSettings;
}

/** A version's limits: its own settings over the service's defaults. */
export function limitsOf(v: Pick<LoadableVersion, 'settings'>, defaults: ServingLimits): ServingLimits {
  const s = v.settings ?? {};
  return {
    maxOutputElements: s.maxOutputElements ?? defaults.maxOutputElements,
    maxOutputBytes: s.maxOutputBytes ?? defaults.maxOutputBytes,
    timeoutMs: s.timeoutMs ?? defaults.timeoutMs,
  };
}

export interface LoadedModel {
  readonly version: LoadableVersion;
  readonly batching: boolean;
  /** Whether this version is micro-batched, and why (decided at load). */
  readonly decision: BatchingDecision;
  readonly limits: ServingLimits;
  readonly batcher: MicroBatcher;
  readonly loadedAt: Date;
  /** Key of this load in the workers: a reload after eviction gets a new one, so draining the old never unloads the new. */
  readonly poolKey: string;
  /** Its single-row runs may go on the event loop while it is idle (inline-runs.ts). */
  readonly inline: InlineRunner | undefined;
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
  /** Runs of one version at once when it is not batched (each request is its own run). */
  unbatchedInFlight?: number;
  /** How a version that is not batched is loaded in the workers (threads per run, queued runs). */
  unbatched?: LoadOptions;
  /** Single-row runs of small, shape-bound versions on the event loop while idle; absent = never. */
  inline?: InlineSettings;
  limits: ServingLimits;
  onBatch?: (v: LoadableVersion, stats: { rows: number; requests: number; runMs: number }) => void;
  onUnload?: (v: LoadableVersion) => void;
  logger?: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
}

/** How a version is served here: loaded or not, its batching decision, its limits. */
export interface Serving {
  loaded: boolean;
  /** `enabled` is null until the version loads (the check at load decides). */
  batching: { mode: BatchingMode; enabled: boolean | null; reason: string };
  limits: ServingLimits;
}

export interface ModelLoader {
  /** What a version's serving looks like, loaded or not. */
  servingOf(version: Pick<LoadableVersion, 'id' | 'signature' | 'settings' | 'batch'>): Serving;
  /**
   * Why requests to a version are never merged, from its settings and declared shapes alone
   * (undefined when they may be, should the check at load agree).
   */
  neverBatched(version: Pick<LoadableVersion, 'signature' | 'settings' | 'batch'>): string | undefined;
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
    await Promise.all([opts.pool.unload(entry.poolKey).catch(() => undefined), entry.inline?.release()]);
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

  /** Why a version will not be batched, known before it loads (its settings, its declared shapes). */
  const declaredOff = (v: Pick<LoadableVersion, 'signature' | 'settings' | 'batch'>) => {
    const mode = v.settings?.batching ?? 'auto';
    if (mode === 'off') return 'batching is off for this version';
    if ((v.batch?.enabled ?? opts.batchDefaults.enabled) === false) return 'batching is off for this model';
    return declaredBlocker(v.signature, mode);
  };

  const load = async (v: LoadableVersion): Promise<LoadedModel> => {
    const started = performance.now();
    const bytes = await opts.readArtifact(v.sha256);
    const loadAs = async (unbatched: boolean) => {
      const key = `${v.id}#${++loads}`;
      await opts.pool.load(key, bytes, unbatched ? opts.unbatched : undefined).catch((err: Error) => {
        // It loaded when it was uploaded: failing now is this replica's trouble (memory, runtime).
        opts.logger?.warn({ versionId: v.id, err: err.message }, 'loading a model version failed');
        throw mlErrors.ML_MODEL_LOAD_FAILED({ name: v.modelName, version: v.version });
      });
      return key;
    };
    const unbatchedFirst = opts.unbatched !== undefined && declaredOff(v) !== undefined;
    let poolKey = await loadAs(unbatchedFirst);
    const limits = limitsOf(v, opts.limits);
    let inline: InlineRunner | undefined;
    const runOnce = (feeds: TensorMap, requests = 1) => {
      const runLimits = {
        maxElements: limits.maxOutputElements * requests,
        maxBytes: limits.maxOutputBytes * requests,
      };
      const onWorkers = () =>
        opts.pool.run(poolKey, feeds, { timeoutMs: limits.timeoutMs, limits: runLimits });
      return inline ? inline.run(feeds, runLimits, onWorkers) : onWorkers();
    };
    const warmUp = async () => {
      try {
        await runOnce(warmupFeeds(v.signature));
      } catch (err) {
        // Zeros with every symbolic dim at 1 are a guess; a model may legitimately refuse them
        // (e.g. a Reshape needing a larger dim), so a failed warm-up is worth a warning, not a refusal.
        opts.logger?.warn(
          { versionId: v.id, err: (err as Error).message },
          'warm-up run failed; serving cold',
        );
      }
    };
    await warmUp();
    const decision = await decideBatching(
      v.signature,
      v.settings?.batching ?? 'auto',
      v.batch?.enabled ?? opts.batchDefaults.enabled,
      async (feeds) => (await runOnce(feeds)).outputs,
    );
    if (!decision.enabled && opts.unbatched !== undefined && !unbatchedFirst) {
      // The check at load turned batching off: serve it as every unbatched version is served.
      const batchedKey = poolKey;
      poolKey = await loadAs(true).finally(() => opts.pool.unload(batchedKey).catch(() => undefined));
      await warmUp();
    }
    const inlineOff = opts.inline
      ? inlineBlocker(bytes, v.signature.inputs, opts.inline, limits.timeoutMs)
      : 'off';
    if (inlineOff === undefined && opts.inline) {
      inline = await openInlineRunner(bytes, v.signature.inputs, warmupFeeds(v.signature), opts.inline).catch(
        (err: Error) => {
          opts.logger?.warn({ versionId: v.id, err: err.message }, 'no event-loop session for this version');
          return undefined;
        },
      );
    }
    const settings: BatchSettings = {
      ...opts.batchDefaults,
      ...v.batch,
      enabled: decision.enabled,
      maxInFlight: decision.enabled
        ? opts.batchDefaults.maxInFlight
        : (opts.unbatchedInFlight ?? opts.batchDefaults.maxInFlight),
    };
    const entry: LoadedModel = {
      version: v,
      batching: settings.enabled,
      decision,
      limits,
      batcher: createMicroBatcher(
        settings,
        (feeds, requests) => runOnce(feeds, requests),
        (stats) => opts.onBatch?.(v, stats),
        {
          'opsmesh.onnx.model': v.modelName,
          'opsmesh.onnx.version': v.version,
          'opsmesh.onnx.version_id': v.id,
        },
        (reason) =>
          opts.logger?.warn(
            { versionId: v.id, model: v.modelName, reason },
            'a merged run could not be split by rows; batching stopped for this version',
          ),
      ),
      loadedAt: new Date(),
      poolKey,
      inline,
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
        batchingReason: decision.reason,
        inlineRuns: inline ? true : (inlineOff ?? 'slower than the limit'),
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

  const servingOf: ModelLoader['servingOf'] = (v) => {
    const entry = entries.get(v.id);
    const limits = limitsOf(v, opts.limits);
    if (entry) return { loaded: true, batching: { ...entry.decision }, limits: entry.limits };
    const mode = v.settings?.batching ?? 'auto';
    const blocker = declaredOff(v);
    const batching = blocker
      ? { mode, enabled: false, reason: blocker }
      : {
          mode,
          enabled: null,
          reason: 'decided when the version loads: two rows are run together and alone',
        };
    return { loaded: false, batching, limits };
  };

  return {
    get,
    servingOf,
    neverBatched: declaredOff,
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
