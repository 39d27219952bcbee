import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { PageQuerySchema, prefixedId, TimestampSchema } from './common.js';

/**
 * The ML service's public API: the model registry (`/models/...`), the friendly
 * `/models/{name}/predict`, and the Open Inference Protocol ("V2", `/v2/...`) whose errors
 * keep that protocol's own `{ "error": "..." }` body for client compatibility.
 */

export const ML_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BF16',
  'BYTES',
] as const;

export const ModelNameSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,127}$',
  examples: ['iris-classifier'],
});
export const AliasNameSchema = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,62}$', examples: ['production'] });
/** `name` or `name@alias`. */
export const ModelRefSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,127}(@[a-z][a-z0-9_-]{0,62})?$',
  examples: ['iris-classifier', 'iris-classifier@staging'],
});
export const VersionNumberSchema = Type.Integer({ minimum: 1, maximum: 999_999_999 });

export const TensorSpecSchema = Type.Object({
  name: Type.String(),
  datatype: Type.String({ examples: ['FP32'] }),
  /** Fixed sizes as numbers, symbolic (dynamic) dimensions as their name, e.g. `["N", 4]`. */
  shape: Type.Array(Type.Union([Type.Integer(), Type.String()])),
  /** The model declares no shape (`shape` is then empty): a tensor of any rank is taken. */
  anyRank: Type.Optional(Type.Boolean()),
  /** Class labels of a classifier's ZipMap output, in column order. */
  labels: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Integer()]))),
  /** An optional output: left out of an answer when the model does not produce it. */
  optional: Type.Optional(Type.Boolean()),
  /** What the model declared when it was not a plain tensor (served as one). */
  from: Type.Optional(
    Type.Union([Type.Literal('zipmap'), Type.Literal('sequence'), Type.Literal('optional')]),
  ),
});

export const BatchingModeSchema = Type.Union(
  [Type.Literal('on'), Type.Literal('off'), Type.Literal('auto')],
  {
    description:
      'auto: batch when the declared shapes and a check at load agree; on: the check at load alone; off: never',
  },
);

export const VersionLimitsSchema = Type.Object({
  maxOutputElements: Type.Integer({ minimum: 1, maximum: 1_000_000_000 }),
  maxOutputBytes: Type.Integer({ minimum: 1024, maximum: 524_288_000 }),
  timeoutMs: Type.Integer({ minimum: 10, maximum: 3_600_000 }),
});

export const BatchingSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    maxBatch: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
    maxDelayMs: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    maxQueueRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  },
  { additionalProperties: false },
);

export const ModelSchema = Type.Object({
  id: prefixedId('mdl'),
  name: Type.String(),
  description: Type.String(),
  owner: Type.String(),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  aliases: Type.Record(Type.String(), Type.Integer()),
  batching: BatchingSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Model = Static<typeof ModelSchema>;

export const ModelListSchema = Type.Object({ items: Type.Array(ModelSchema), total: Type.Integer() });

export const ModelVersionSchema = Type.Object({
  id: prefixedId('ver'),
  model: Type.String(),
  version: Type.Integer(),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  sizeBytes: Type.Integer(),
  inputs: Type.Array(TensorSpecSchema),
  outputs: Type.Array(TensorSpecSchema),
  metadata: Type.Record(Type.String(), Type.String()),
  description: Type.String(),
  aliases: Type.Array(Type.String()),
  loaded: Type.Boolean(),
  /** The version's settings, defaults filled in. */
  settings: Type.Object({ batching: BatchingModeSchema, limits: VersionLimitsSchema }),
  /** Whether requests to this version are micro-batched on this replica, and why. */
  batching: Type.Object({
    mode: BatchingModeSchema,
    enabled: Type.Union([Type.Boolean(), Type.Null()], { description: 'null until the version loads' }),
    reason: Type.String(),
  }),
  createdBy: Type.String(),
  createdAt: TimestampSchema,
});
export type ModelVersion = Static<typeof ModelVersionSchema>;

/**
 * `PATCH /models/{name}/versions/{version}`: the settings given change, the others stay;
 * `"default"` returns a setting to the service's default.
 */
const orDefault = <T extends TSchema>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Literal('default')]));
export const UpdateVersionBodySchema = Type.Object(
  {
    batching: orDefault(BatchingModeSchema),
    limits: Type.Optional(
      Type.Object(
        {
          maxOutputElements: orDefault(VersionLimitsSchema.properties.maxOutputElements),
          maxOutputBytes: orDefault(VersionLimitsSchema.properties.maxOutputBytes),
          timeoutMs: orDefault(VersionLimitsSchema.properties.timeoutMs),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CreateModelBodySchema = Type.Object(
  { name: ModelNameSchema, description: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const UpdateModelBodySchema = Type.Object(
  { description: Type.Optional(Type.String({ maxLength: 2000 })), batching: Type.Optional(BatchingSchema) },
  { additionalProperties: false },
);
export const UploadQuerySchema = Type.Object(
  { description: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const AliasSchema = Type.Object({
  alias: Type.String(),
  model: Type.String(),
  version: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: TimestampSchema,
});
export const MoveAliasBodySchema = Type.Object(
  { version: VersionNumberSchema },
  { additionalProperties: false },
);
export const AliasHistoryEntrySchema = Type.Object({
  id: prefixedId('alh'),
  alias: Type.String(),
  fromVersion: Type.Union([Type.Integer(), Type.Null()]),
  toVersion: Type.Union([Type.Integer(), Type.Null()]),
  action: Type.Union([Type.Literal('move'), Type.Literal('rollback'), Type.Literal('delete')]),
  changedBy: Type.String(),
  changedAt: TimestampSchema,
});

export const PredictBodySchema = Type.Object(
  {
    /**
     * One row per instance: for a one-input model the row itself (or an object of named features
     * from the model's `features` metadata); for any model an object keyed by input name.
     */
    instances: Type.Array(
      Type.Union([Type.Array(Type.Unknown()), Type.Record(Type.String(), Type.Unknown())]),
      {
        minItems: 1,
      },
    ),
  },
  { additionalProperties: false },
);
export const PredictQuerySchema = Type.Object(
  { alias: Type.Optional(AliasNameSchema), version: Type.Optional(VersionNumberSchema) },
  { additionalProperties: false },
);
export const PredictResponseSchema = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  alias: Type.Union([Type.String(), Type.Null()]),
  predictions: Type.Array(Type.Unknown()),
  /** The predicted class of each row: a string, or an integer for a classifier with integer classes. */
  labels: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Integer()]))),
  outputs: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Unknown()))),
});
export type PredictResponse = Static<typeof PredictResponseSchema>;

export const PredictionLogEntrySchema = Type.Object({
  id: prefixedId('prd'),
  model: Type.String(),
  version: Type.Integer(),
  endpoint: Type.String(),
  caller: Type.String(),
  requestId: Type.String(),
  latencyMs: Type.Number(),
  rows: Type.Integer(),
  inputSummary: Type.Unknown(),
  outputs: Type.Unknown(),
  createdAt: TimestampSchema,
});
export const PredictionLogQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  version: Type.Optional(VersionNumberSchema),
});

// ---- Open Inference Protocol (V2) ----

export const V2ErrorSchema = Type.Object({ error: Type.String() });
export const V2ServerMetadataSchema = Type.Object({
  name: Type.String(),
  version: Type.String(),
  extensions: Type.Array(Type.String()),
});
export const V2LiveSchema = Type.Object({ live: Type.Boolean() });
export const V2ReadySchema = Type.Object({ ready: Type.Boolean() });
export const V2ModelReadySchema = Type.Object({
  name: Type.String(),
  version: Type.Optional(Type.String()),
  ready: Type.Boolean(),
});
export const V2TensorMetadataSchema = Type.Object({
  name: Type.String(),
  datatype: Type.String(),
  shape: Type.Array(Type.Integer()),
  /**
   * `labels` of a classifier's ZipMap output; `optional` for an output that may be absent;
   * `any_rank` for a tensor whose model declares no shape (`shape` is then empty).
   */
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const V2ModelMetadataSchema = Type.Object({
  name: Type.String(),
  versions: Type.Array(Type.String()),
  platform: Type.String(),
  inputs: Type.Array(V2TensorMetadataSchema),
  outputs: Type.Array(V2TensorMetadataSchema),
  /** `metadata`: the model file's `metadata_props` (author, classes, ...), when it has any. */
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const V2InferInputSchema = Type.Object({
  name: Type.String(),
  shape: Type.Array(Type.Integer({ minimum: 0 })),
  datatype: Type.String(),
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** Absent when the tensor comes as binary data (`parameters.binary_data_size`). */
  data: Type.Optional(Type.Unknown()),
});
export const V2InferRequestSchema = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 256 })),
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** Empty for a model that takes no inputs. */
  inputs: Type.Array(V2InferInputSchema),
  outputs: Type.Optional(
    Type.Array(
      Type.Object({
        name: Type.String(),
        parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  ),
});
export type V2InferRequest = Static<typeof V2InferRequestSchema>;
export const V2InferResponseSchema = Type.Object({
  model_name: Type.String(),
  model_version: Type.String(),
  id: Type.Optional(Type.String()),
  parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  outputs: Type.Array(
    Type.Object({
      name: Type.String(),
      shape: Type.Array(Type.Integer()),
      datatype: Type.String(),
      parameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      /** Absent for an output sent as binary data (`parameters.binary_data_size`). */
      data: Type.Optional(Type.Array(Type.Unknown())),
    }),
  ),
});
export type V2InferResponse = Static<typeof V2InferResponseSchema>;
/** The whole repository by default; `limit`/`offset` ask for a page (headers x-total-count, x-next-offset). */
export const V2RepositoryIndexRequestSchema = Type.Object({
  ready: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});
export const V2RepositoryIndexSchema = Type.Array(
  Type.Object({
    name: Type.String(),
    version: Type.String(),
    state: Type.Union([Type.Literal('READY'), Type.Literal('UNAVAILABLE')]),
    reason: Type.String(),
  }),
);
