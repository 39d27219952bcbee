import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ModelLoader } from './model-loader.js';

/** Per-model inference metrics, registered on the service's own registry. */

export interface MlMetrics {
  requests: Counter<'model' | 'version' | 'endpoint' | 'outcome'>;
  latency: Histogram<'model' | 'endpoint'>;
  batchSize: Histogram<'model'>;
  batchRun: Histogram<'model'>;
}

export function createMlMetrics(registry: Registry, loader: () => ModelLoader | undefined): MlMetrics {
  new Gauge({
    name: 'ml_queue_depth_rows',
    help: 'Rows waiting in the micro-batching queue, by model version',
    labelNames: ['model', 'version'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const e of loader()?.loaded() ?? []) {
        this.set({ model: e.version.modelName, version: String(e.version.version) }, e.batcher.queuedRows());
      }
    },
  });
  new Gauge({
    name: 'ml_loaded_versions',
    help: 'Model versions loaded in the inference workers',
    registers: [registry],
    collect() {
      this.set(loader()?.loaded().length ?? 0);
    },
  });
  return {
    requests: new Counter({
      name: 'ml_inference_requests_total',
      help: 'Inference requests by model, version, endpoint and outcome (ok, invalid, overloaded, failed)',
      labelNames: ['model', 'version', 'endpoint', 'outcome'] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'ml_inference_duration_seconds',
      help: 'Inference time seen by the caller, queueing included',
      labelNames: ['model', 'endpoint'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'ml_batch_rows',
      help: 'Rows per session.run after micro-batching',
      labelNames: ['model'] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [registry],
    }),
    batchRun: new Histogram({
      name: 'ml_batch_run_seconds',
      help: 'Time of one session.run in a worker',
      labelNames: ['model'] as const,
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}
