import { CommonConfig } from '@opsmesh/shared';
import { type Static, Type } from '@sinclair/typebox';

export const MlConfigSchema = Type.Object({
  ...CommonConfig.properties,
  PORT: Type.Integer({ default: 8082, minimum: 0, maximum: 65535 }),
  ML_ARTIFACT_DIR: Type.Optional(
    Type.String({
      description:
        "this replica's cache of model files, checked by SHA-256 on read; files the database lacks are moved into it at start (default <OPSMESH_DATA_DIR>/ml/artifacts)",
    }),
  ),
  ML_WORKERS: Type.Integer({ default: 2, minimum: 1, maximum: 64, description: 'inference worker threads' }),
  ML_INTRA_OP_THREADS: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 64,
    description:
      'onnxruntime threads per run of a batched version (and of the check at upload); 0 = one per CPU',
  }),
  ML_UNBATCHED_INTRA_OP_THREADS: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 64,
    description:
      "onnxruntime threads per run of a version that is not batched; 0 = one per CPU, and then the version's runs queue on one worker and go in turn",
  }),
  ML_INLINE_RUN_MAX_MS: Type.Number({
    default: 2,
    minimum: 0,
    maximum: 50,
    description:
      'a single-row request to an idle version made only of shape-bound ops, whose single-row run takes at most this long (timed at load), runs on the event loop instead of a worker; 0 = never',
  }),
  ML_LEAN_INFER: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'on',
    description:
      "single JSON requests to the V2 infer routes are answered before Fastify's routing and hooks, with the same checks, answers, logs and metrics; off sends every request through Fastify",
  }),
  ML_THREAD_SPINNING: Type.Boolean({
    default: false,
    description:
      "onnxruntime's threads spin-wait for more work after a run instead of sleeping; off leaves the cores to the event loop and the other runs",
  }),
  ML_WORKER_NICENESS: Type.Integer({
    default: 10,
    minimum: 0,
    maximum: 19,
    description: 'Linux nice value of the inference threads, so runs never preempt the HTTP event loop',
  }),
  ML_MAX_UPLOAD_BYTES: Type.Integer({
    default: 104_857_600,
    minimum: 1024,
    maximum: 2_147_483_647,
    description: 'largest model file accepted',
  }),
  ML_MAX_VERSIONS_PER_MODEL: Type.Integer({
    default: 1000,
    minimum: 1,
    maximum: 1_000_000,
    description: 'versions one model may hold; an upload past it is a 409 saying to delete old ones',
  }),
  ML_MAX_ALIASES_PER_MODEL: Type.Integer({
    default: 100,
    minimum: 1,
    maximum: 100_000,
    description: 'aliases one model may hold; a new alias past it is a 409 saying to delete one',
  }),
  ML_ALIAS_HISTORY_RETENTION_DAYS: Type.Integer({
    default: 30,
    minimum: 1,
    maximum: 36_500,
    description:
      "days an alias move stays in the alias's history before the hourly purge deletes it; each alias's newest move is kept, for rollback",
  }),
  ML_MAX_LOADED_MODELS: Type.Integer({
    default: 16,
    minimum: 1,
    maximum: 1000,
    description: 'versions kept loaded at once (least recently used unloaded first)',
  }),
  ML_MAX_LOADED_BYTES: Type.Integer({
    default: 1_073_741_824,
    minimum: 1024,
    description: 'model file bytes kept loaded at once',
  }),
  ML_BATCHING: Type.Boolean({
    default: true,
    description: 'micro-batching where a version allows it (see "Batching rules")',
  }),
  ML_MAX_BATCH: Type.Integer({
    default: 32,
    minimum: 1,
    maximum: 65536,
    description: 'rows in one merged run',
  }),
  ML_MAX_QUEUE_DELAY_MS: Type.Number({
    default: 2,
    minimum: 0,
    maximum: 1000,
    description: 'longest a request waits for others to share its run',
  }),
  ML_MAX_RUNS_IN_FLIGHT: Type.Integer({
    default: 0,
    minimum: 0,
    maximum: 64,
    description:
      'runs of one version sent to workers at once (at most ML_WORKERS); 0 = batched: one fewer than the CPUs, unbatched: as many as the CPUs',
  }),
  ML_MAX_QUEUE_ROWS: Type.Integer({
    default: 4096,
    minimum: 1,
    maximum: 10_000_000,
    description: 'rows waiting per version before requests get 503 with Retry-After',
  }),
  ML_MAX_REQUEST_ROWS: Type.Integer({
    default: 1024,
    minimum: 1,
    maximum: 1_000_000,
    description: 'largest first dimension of one request',
  }),
  ML_PREDICTION_LOG_EVERY: Type.Integer({
    default: 10,
    minimum: 0,
    maximum: 1_000_000,
    description: 'log every Nth prediction (0 = off)',
  }),
  ML_BOOTSTRAP_IRIS: Type.Boolean({
    default: true,
    description: 'register the shipped iris-classifier on first start',
  }),
  ML_INFER_BODY_LIMIT: Type.Integer({
    default: 33_554_432,
    minimum: 1024,
    maximum: 1_073_741_824,
    description: 'largest inference request body (JSON or binary)',
  }),
  ML_MAX_OUTPUT_ELEMENTS: Type.Integer({
    default: 4_194_304,
    minimum: 1,
    maximum: 1_000_000_000,
    description: 'elements an answer may hold, all outputs together (per version: PATCH .../versions/{v})',
  }),
  ML_MAX_OUTPUT_BYTES: Type.Integer({
    default: 67_108_864,
    minimum: 1024,
    maximum: 524_288_000,
    description: 'bytes an answer body may take (per version: PATCH .../versions/{v})',
  }),
  ML_RUN_TIMEOUT_MS: Type.Integer({
    default: 30_000,
    minimum: 10,
    maximum: 3_600_000,
    description:
      'a run longer than this fails and its worker is replaced (per version: PATCH .../versions/{v})',
  }),
});

export type MlConfig = Static<typeof MlConfigSchema>;
