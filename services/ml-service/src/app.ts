import type { Authenticator, Database, LeasedJob, ServiceApp } from '@opsmesh/shared';
import { createService } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { MlConfig } from './config.js';
import { runsInFlight, sessionSettings } from './inference/runs-in-flight.js';
import type { WorkerPool } from './inference/worker-pool.js';
import type { MlDatabase } from './models/db.js';
import { createPredictionLogRepository } from './models/prediction.js';
import { installLeanInfer } from './routes/inference/lean-infer.js';
import { v2Routes } from './routes/inference/v2-routes.js';
import { predictRoutes } from './routes/models/predict-routes.js';
import { registryRoutes } from './routes/models/registry-routes.js';
import { uploadRoute } from './routes/models/upload-route.js';
import { versionRoutes } from './routes/models/version-routes.js';
import type { ArtifactStore } from './services/artifact-store.js';
import { registerShippedModel } from './services/bootstrap.js';
import { startHistoryRetention } from './services/history-retention.js';
import { createMlMetrics } from './services/ml-metrics.js';
import { createModelLoader } from './services/model-loader.js';
import { createPredictionService } from './services/prediction-service.js';
import { createRegistryService } from './services/registry-service.js';
import { startRegistrySync } from './services/registry-sync.js';

export const SERVICE_NAME = 'ml-service';
export const SERVICE_VERSION = '0.1.0';

export interface MlDeps {
  database: Database<MlDatabase>;
  pool: WorkerPool;
  store: ArtifactStore;
  authenticator: Authenticator;
  logger?: FastifyBaseLogger;
  processMetrics?: boolean;
}

/** Builds the un-started ML service; main.ts and the tests call this with their own deps. */
export function buildApp(config: MlConfig, deps: MlDeps): ServiceApp {
  const app = createService({
    name: SERVICE_NAME,
    version: SERVICE_VERSION,
    description: 'Model registry, ONNX inference, Open Inference Protocol (V2) and micro-batching',
    bodyLimit: config.BODY_LIMIT,
    bodyMinBytesPerSecond: config.BODY_MIN_BYTES_PER_SECOND,
    trustProxy: config.TRUST_PROXY,
    authenticator: deps.authenticator,
    logLevel: config.LOG_LEVEL,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.processMetrics !== undefined ? { processMetrics: deps.processMetrics } : {}),
  });
  const { db } = deps.database;
  const limits = {
    maxOutputElements: config.ML_MAX_OUTPUT_ELEMENTS,
    maxOutputBytes: config.ML_MAX_OUTPUT_BYTES,
    timeoutMs: config.ML_RUN_TIMEOUT_MS,
  };
  const metricsRef: { loader?: ReturnType<typeof createModelLoader> } = {};
  const metrics = createMlMetrics(app.metrics.registry, () => metricsRef.loader);
  const inFlight = { configured: config.ML_MAX_RUNS_IN_FLIGHT, workers: deps.pool.size };
  const sessions = sessionSettings(config);
  const loader = createModelLoader({
    pool: deps.pool,
    readArtifact: (sha) => deps.store.get(sha),
    maxModels: config.ML_MAX_LOADED_MODELS,
    maxBytes: config.ML_MAX_LOADED_BYTES,
    batchDefaults: {
      enabled: config.ML_BATCHING,
      maxBatch: config.ML_MAX_BATCH,
      maxDelayMs: config.ML_MAX_QUEUE_DELAY_MS,
      maxQueueRows: Math.max(config.ML_MAX_QUEUE_ROWS, config.ML_MAX_REQUEST_ROWS),
      maxInFlight: runsInFlight({ ...inFlight, batched: true }),
    },
    unbatchedInFlight: runsInFlight({ ...inFlight, batched: false }),
    unbatched: sessions.unbatched,
    inline: { maxRunMs: config.ML_INLINE_RUN_MAX_MS, session: sessions.inline },
    limits,
    onBatch: (v, s) => {
      metrics.batchSize.observe({ model: v.modelName }, s.rows);
      metrics.batchRun.observe({ model: v.modelName }, s.runMs / 1000);
    },
    logger: app.log,
  });
  metricsRef.loader = loader;
  const registry = createRegistryService({
    db,
    store: deps.store,
    pool: deps.pool,
    loader,
    logger: app.log,
    maxVersions: config.ML_MAX_VERSIONS_PER_MODEL,
    maxAliases: config.ML_MAX_ALIASES_PER_MODEL,
  });
  const log = createPredictionLogRepository(db);
  const prediction = createPredictionService({
    registry,
    loader,
    log,
    metrics,
    maxRows: config.ML_MAX_REQUEST_ROWS,
    limits,
    encodeOffThread: (job, transfer) => deps.pool.encode(job, transfer),
    sampleEvery: config.ML_PREDICTION_LOG_EVERY,
    logger: app.log,
  });

  let bootstrapped = !config.ML_BOOTSTRAP_IRIS;
  let sync: Awaited<ReturnType<typeof startRegistrySync>> | null = null;
  let retention: LeasedJob | null = null;
  app.addHook('onReady', async () => {
    await deps.store.importLocal();
    if (config.ML_BOOTSTRAP_IRIS) await registerShippedModel(registry, app.log);
    bootstrapped = true;
    sync = await startRegistrySync(deps.database, { registry, loader, logger: app.log });
    retention = await startHistoryRetention(deps.database, config.ML_ALIAS_HISTORY_RETENTION_DAYS, app.log);
  });
  app.addHook('onClose', async () => {
    await retention?.close();
    await sync?.close();
    await prediction.flush();
  });

  app.addReadinessCheck('database', () => deps.database.ping());
  app.addReadinessCheck('model-store', () => deps.store.check());
  app.addReadinessCheck('shipped-model', async () => {
    if (!bootstrapped) throw new Error('shipped model not registered yet');
  });
  const isReady = async () => {
    await deps.database.ping();
    return bootstrapped && !app.draining;
  };

  const inferBodyLimit = config.ML_INFER_BODY_LIMIT;
  app.register(registryRoutes({ registry }));
  app.register(versionRoutes({ registry, loader }));
  app.register(uploadRoute({ registry, loader, maxUploadBytes: config.ML_MAX_UPLOAD_BYTES }));
  app.register(predictRoutes({ prediction, registry, log, inferBodyLimit }));
  app.register(
    v2Routes({
      registry,
      prediction,
      loader,
      serverName: SERVICE_NAME,
      serverVersion: SERVICE_VERSION,
      isReady,
      inferBodyLimit,
    }),
  );
  if (config.ML_LEAN_INFER === 'on') installLeanInfer(app, { prediction, bodyLimit: inferBodyLimit });
  return app;
}
