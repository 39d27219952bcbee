import { type Static, Type } from '@sinclair/typebox';
import { pageQueryProperties, TimestampSchema } from './common.js';

/**
 * The monitoring service's built-in trace store: `POST /v1/traces` takes OTLP/HTTP (protobuf or
 * JSON) as a collector does; `GET /traces` lists recent traces, `GET /traces/{traceId}` returns one
 * with its spans. Mounted under `/api/monitoring/` by the gateway.
 */

export const TraceIdSchema = Type.String({
  pattern: '^[0-9a-f]{32}$',
  description: '32 lower-case hex digits',
});
export const SpanIdSchema = Type.String({
  pattern: '^[0-9a-f]{16}$',
  description: '16 lower-case hex digits',
});

export const TraceStatusSchema = Type.Union([Type.Literal('ok'), Type.Literal('error')]);

export const TraceListQuerySchema = Type.Object(
  {
    service: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'a span of this service' }),
    ),
    operation: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'a span of this name' }),
    ),
    minDurationMs: Type.Optional(Type.Number({ minimum: 0, description: 'whole trace at least this long' })),
    status: Type.Optional(TraceStatusSchema),
    requestId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'the requestId of a problem+json answer' }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'started at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'started at or before' })),
    ...pageQueryProperties(20, 200),
  },
  { additionalProperties: false },
);
export type TraceListQuery = Static<typeof TraceListQuerySchema>;

export const TraceSummarySchema = Type.Object({
  traceId: TraceIdSchema,
  /** The root span's service and name, or the earliest span's while the root has not arrived. */
  rootService: Type.String(),
  rootName: Type.String(),
  startedAt: TimestampSchema,
  durationMs: Type.Number(),
  spanCount: Type.Integer(),
  services: Type.Array(Type.String()),
  status: TraceStatusSchema,
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type TraceSummary = Static<typeof TraceSummarySchema>;

export const TraceListResponseSchema = Type.Object({ traces: Type.Array(TraceSummarySchema) });
export type TraceListResponse = Static<typeof TraceListResponseSchema>;

export const AttributeValueSchema = Type.Union([
  Type.String(),
  Type.Number(),
  Type.Boolean(),
  Type.Null(),
  Type.Array(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
]);

export const SpanKindNameSchema = Type.Union(
  ['internal', 'server', 'client', 'producer', 'consumer', 'unspecified'].map((k) => Type.Literal(k)),
);

export const TraceSpanSchema = Type.Object({
  spanId: SpanIdSchema,
  parentSpanId: Type.Union([SpanIdSchema, Type.Null()]),
  service: Type.String(),
  name: Type.String(),
  kind: SpanKindNameSchema,
  /** Milliseconds from the trace's start, for drawing a waterfall. */
  offsetMs: Type.Number(),
  durationMs: Type.Number(),
  startedAt: TimestampSchema,
  status: Type.Union([Type.Literal('unset'), Type.Literal('ok'), Type.Literal('error')]),
  statusMessage: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Record(Type.String(), AttributeValueSchema),
  events: Type.Array(
    Type.Object({
      name: Type.String(),
      offsetMs: Type.Number(),
      attributes: Type.Record(Type.String(), AttributeValueSchema),
    }),
  ),
});
export type TraceSpan = Static<typeof TraceSpanSchema>;

export const TraceParamsSchema = Type.Object({ traceId: TraceIdSchema });

export const TraceSchema = Type.Object({
  trace: TraceSummarySchema,
  /** Ordered by start time; a span whose parent is not in the store hangs off the trace's root. */
  spans: Type.Array(TraceSpanSchema),
});
export type Trace = Static<typeof TraceSchema>;

/** What `POST /v1/traces` answers with JSON, as OTLP's `ExportTraceServiceResponse`. */
export const OtlpExportResponseSchema = Type.Object({
  partialSuccess: Type.Optional(
    Type.Object({ rejectedSpans: Type.Optional(Type.String()), errorMessage: Type.Optional(Type.String()) }),
  ),
});
