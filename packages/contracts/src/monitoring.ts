import { type Static, Type } from '@sinclair/typebox';
import { pageQueryProperties, prefixedId, TimestampSchema } from './common.js';
import { SILENCE_PAGE_DEFAULT, SILENCE_PAGE_MAX } from './paging.js';

/**
 * The monitoring service's public API: services and their golden signals, raw series, alert
 * rules, alerts (active, history, acknowledgements), silences, PromQL passthrough, the HTTP
 * service-discovery document for Prometheus and the Alertmanager webhook receiver.
 * Routes have no service prefix; the gateway mounts them under `/api/monitoring/`.
 */

export const SIGNAL_NAMES = [
  'request_rate',
  'error_ratio',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'availability',
  'saturation',
] as const;

export const SignalNameSchema = Type.Union(
  SIGNAL_NAMES.map((s) => Type.Literal(s)),
  { description: 'a golden signal' },
);
export type SignalName = Static<typeof SignalNameSchema>;

/** A Prometheus duration such as `30s`, `5m`, `1h30m`. */
export const DurationSchema = Type.String({
  pattern: '^([0-9]+(ms|s|m|h|d|w|y))+$',
  maxLength: 32,
  examples: ['5m'],
});

/** A value that may be absent (no data) or not a finite number: null in both cases. */
const MaybeNumber = Type.Union([Type.Number(), Type.Null()]);
/**
 * MaybeNumber as one JSON Schema type list. The response serialiser (fast-json-stringify)
 * refuses every value of an `anyOf` inside a tuple, which made `GET /series` answer 500 on
 * any match; a type list serialises the same JSON.
 */
const MaybeNumberInTuple = Type.Unsafe<number | null>({ type: ['number', 'null'] });

export const SignalValuesSchema = Type.Object(
  Object.fromEntries(SIGNAL_NAMES.map((s) => [s, MaybeNumber])) as Record<SignalName, typeof MaybeNumber>,
);
export type SignalValues = Static<typeof SignalValuesSchema>;

export const SignalSourceSchema = Type.Union([Type.Literal('local'), Type.Literal('prometheus')]);

export const SignalsQuerySchema = Type.Object(
  { window: Type.Optional(DurationSchema) },
  { additionalProperties: false },
);

export const SignalsResponseSchema = Type.Object({
  at: TimestampSchema,
  window: Type.String(),
  source: SignalSourceSchema,
  services: Type.Array(Type.Object({ service: Type.String(), signals: SignalValuesSchema })),
});
export type SignalsResponse = Static<typeof SignalsResponseSchema>;

export const SignalSeriesParamsSchema = Type.Object({
  service: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  signal: SignalNameSchema,
});

export const SignalSeriesQuerySchema = Type.Object(
  {
    /** How far back the series reaches. */
    window: Type.Optional(DurationSchema),
    /** Distance between points. */
    step: Type.Optional(DurationSchema),
    /** The window of rate() behind each point. */
    rateWindow: Type.Optional(DurationSchema),
  },
  { additionalProperties: false },
);

export const SignalSeriesResponseSchema = Type.Object({
  service: Type.String(),
  signal: SignalNameSchema,
  window: Type.String(),
  step: Type.String(),
  source: SignalSourceSchema,
  points: Type.Array(Type.Object({ at: TimestampSchema, value: MaybeNumber })),
});
export type SignalSeriesResponse = Static<typeof SignalSeriesResponseSchema>;

export const InstanceViewSchema = Type.Object({
  url: Type.String(),
  up: Type.Union([Type.Boolean(), Type.Null()]),
  ready: Type.Union([Type.Boolean(), Type.Null()]),
  lastScrapeAt: Type.Union([TimestampSchema, Type.Null()]),
  /** The last scrape that succeeded; null if none has yet. */
  lastUpAt: Type.Union([TimestampSchema, Type.Null()]),
  scrapeDurationSeconds: MaybeNumber,
  lastError: Type.Union([Type.String(), Type.Null()]),
  /** Share of successful readiness polls over the availability window. */
  availability: MaybeNumber,
  /**
   * For monitoring-service replicas: whether this one evaluates the rules and delivers the
   * notifications (the evaluator lease holder); the others stand by to take over.
   */
  role: Type.Optional(
    Type.Union([Type.Literal('evaluator'), Type.Literal('standby')], {
      description: "a monitoring replica's part: evaluator (the lease holder) or standby",
    }),
  ),
  /**
   * This instance's circuit breakers towards its own dependencies that have left the closed
   * state at least once, as its last readiness answer listed them.
   */
  circuits: Type.Array(
    Type.Object({
      target: Type.String(),
      instance: Type.String(),
      state: Type.Union([Type.Literal('closed'), Type.Literal('half-open'), Type.Literal('open')]),
      since: TimestampSchema,
    }),
  ),
  /**
   * While the instance has not been ready since monitoring started: when its start-up grace
   * (STARTUP_GRACE) ends. It is not alerted on until then or until it is ready. Null when it is.
   */
  alertsHeldUntil: Type.Optional(Type.Union([TimestampSchema, Type.Null()])),
});

export const ServiceViewSchema = Type.Object({
  name: Type.String(),
  instances: Type.Array(InstanceViewSchema),
  availability: MaybeNumber,
  /** How many of the replicas discovery lists answer their scrape and their readiness now. */
  replicas: Type.Object(
    {
      total: Type.Integer({ minimum: 0 }),
      up: Type.Integer({ minimum: 0, description: 'replicas whose last scrape succeeded' }),
      ready: Type.Integer({ minimum: 0, description: 'replicas whose last readiness poll answered 2xx' }),
    },
    { description: 'per-replica health in one line, e.g. 2 of 2 ready' },
  ),
});

export const ServicesResponseSchema = Type.Object({
  window: Type.String(),
  services: Type.Array(ServiceViewSchema),
});
export type ServicesResponse = Static<typeof ServicesResponseSchema>;

export const SeriesQuerySchema = Type.Object(
  {
    /** A series selector: `metric{label="value",other=~"re.*"}`. */
    match: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Range start; with `end`, a range read. Without, an instant read at `end` (default now). */
    start: Type.Optional(TimestampSchema),
    end: Type.Optional(TimestampSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
  },
  { additionalProperties: false },
);

export const SeriesResponseSchema = Type.Object({
  series: Type.Array(
    Type.Object({
      labels: Type.Record(Type.String(), Type.String()),
      points: Type.Array(Type.Tuple([Type.Number(), MaybeNumberInTuple]), {
        description: '[unix seconds, value] pairs, oldest first',
      }),
    }),
  ),
  truncated: Type.Boolean(),
});
export type SeriesResponse = Static<typeof SeriesResponseSchema>;

const LabelMap = Type.Record(
  Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }),
  Type.String({ maxLength: 1024 }),
  {
    maxProperties: 32,
  },
);

/**
 * The rule shape before PromQL: a golden signal, a series function or a burn rate, compared
 * with `op` and `threshold`. Still accepted on input (converted to the same PromQL); never returned.
 */
export const LegacyRuleExprSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('signal'),
      signal: SignalNameSchema,
      window: DurationSchema,
      service: Type.Optional(Type.String({ maxLength: 63 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('series'),
      selector: Type.String({ minLength: 1, maxLength: 2000 }),
      function: Type.Union(
        (['value', 'rate', 'increase', 'avg_over_time', 'min_over_time', 'max_over_time'] as const).map((f) =>
          Type.Literal(f),
        ),
      ),
      window: Type.Optional(DurationSchema),
      sumBy: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 16 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('burn_rate'),
      objective: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
      longWindow: DurationSchema,
      shortWindow: DurationSchema,
      service: Type.Optional(Type.String({ maxLength: 63 })),
    },
    { additionalProperties: false },
  ),
]);

export const ComparisonSchema = Type.Union(
  (['>', '>=', '<', '<=', '==', '!='] as const).map((o) => Type.Literal(o)),
);
export const SeveritySchema = Type.Union([
  Type.Literal('critical'),
  Type.Literal('warning'),
  Type.Literal('info'),
]);

const PromQLSchema = Type.String({
  minLength: 1,
  maxLength: 10_000,
  description: 'PromQL; every sample it returns is an alert, e.g. `up == 0`',
  examples: ['sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) > 1'],
});

export const RuleInputSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$',
      maxLength: 128,
      examples: ['HighErrorRatio'],
    }),
    expr: Type.Union([PromQLSchema, LegacyRuleExprSchema]),
    /** Only with a legacy (object) `expr`: the comparison its value must meet. */
    op: Type.Optional(ComparisonSchema),
    /**
     * A number only with a legacy (object) `expr`. The `{ op, value }` a rule is read back with
     * may be sent back unchanged (read, modify, write); it must then agree with the PromQL `expr`.
     */
    threshold: Type.Optional(
      Type.Union([Type.Number(), Type.Object({ op: ComparisonSchema, value: Type.Number() })]),
    ),
    for: Type.Optional(DurationSchema),
    keepFiringFor: Type.Optional(DurationSchema),
    severity: Type.Optional(SeveritySchema),
    labels: Type.Optional(LabelMap),
    annotations: Type.Optional(LabelMap),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RuleInput = Static<typeof RuleInputSchema>;

export const RuleSchema = Type.Object({
  id: prefixedId('rul'),
  name: Type.String(),
  expr: Type.String(),
  for: Type.String(),
  keepFiringFor: Type.String(),
  severity: SeveritySchema,
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  /** The comparison the expression ends with (`... > 0.05`), when it ends with one against a number. */
  threshold: Type.Optional(Type.Object({ op: ComparisonSchema, value: Type.Number() })),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Rule = Static<typeof RuleSchema>;

/** POST /rules/import: a Prometheus rule file (`groups:` of `rules:`), as YAML or JSON. */
export const RuleImportResponseSchema = Type.Object({
  created: Type.Integer(),
  replaced: Type.Integer(),
  rules: Type.Array(RuleSchema),
});

export const RuleIdParamsSchema = Type.Object({ id: prefixedId('rul') });
export const RuleListResponseSchema = Type.Object({ rules: Type.Array(RuleSchema) });

export const AlertStateSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('firing'),
  Type.Literal('resolved'),
]);

export const AlertSchema = Type.Object({
  fingerprint: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  alertname: Type.String(),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.Literal('rules'), Type.Literal('alertmanager')]),
  state: AlertStateSchema,
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  value: MaybeNumber,
  activeAt: TimestampSchema,
  firedAt: Type.Union([TimestampSchema, Type.Null()]),
  resolvedAt: Type.Union([TimestampSchema, Type.Null()]),
  silencedBy: Type.Array(Type.String()),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([TimestampSchema, Type.Null()]),
});
export type Alert = Static<typeof AlertSchema>;

export const AlertListQuerySchema = Type.Object(
  {
    state: Type.Optional(AlertStateSchema),
    service: Type.Optional(Type.String({ maxLength: 63 })),
  },
  { additionalProperties: false },
);
export const AlertListResponseSchema = Type.Object({ alerts: Type.Array(AlertSchema) });

export const AlertHistoryQuerySchema = Type.Object(
  {
    fingerprint: Type.Optional(Type.String({ pattern: '^[0-9a-f]{16}$' })),
    ...pageQueryProperties(100, 500),
    before: Type.Optional(TimestampSchema),
  },
  { additionalProperties: false },
);
export const AlertHistoryEntrySchema = Type.Object({
  id: prefixedId('alh'),
  fingerprint: Type.String(),
  alertname: Type.String(),
  event: Type.Union(
    (['pending', 'firing', 'resolved', 'inactive', 'acknowledged', 'notified'] as const).map((e) =>
      Type.Literal(e),
    ),
  ),
  at: TimestampSchema,
  value: MaybeNumber,
  actor: Type.Union([Type.String(), Type.Null()]),
  labels: Type.Record(Type.String(), Type.String()),
});
export const AlertHistoryResponseSchema = Type.Object({ entries: Type.Array(AlertHistoryEntrySchema) });

export const AlertParamsSchema = Type.Object({ fingerprint: Type.String({ pattern: '^[0-9a-f]{16}$' }) });
export const AckInputSchema = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

export const MatcherSchema = Type.Object({
  name: Type.String(),
  op: Type.Union((['=', '!=', '=~', '!~'] as const).map((o) => Type.Literal(o))),
  value: Type.String(),
});

export const SilenceInputSchema = Type.Object(
  {
    /** Label matchers such as `alertname="ServiceDown"`, `service=~"auth-.*"`; all must match. */
    matchers: Type.Array(Type.String({ minLength: 3, maxLength: 1000 }), { minItems: 1, maxItems: 32 }),
    startsAt: Type.Optional(TimestampSchema),
    /** Either endsAt or duration; duration is counted from startsAt. */
    endsAt: Type.Optional(TimestampSchema),
    duration: Type.Optional(DurationSchema),
    comment: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type SilenceInput = Static<typeof SilenceInputSchema>;

export const SilenceSchema = Type.Object({
  id: prefixedId('sil'),
  matchers: Type.Array(MatcherSchema),
  startsAt: TimestampSchema,
  endsAt: TimestampSchema,
  createdBy: Type.String(),
  comment: Type.String(),
  createdAt: TimestampSchema,
  state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('expired')]),
});
export type Silence = Static<typeof SilenceSchema>;
export const SilenceIdParamsSchema = Type.Object({ id: prefixedId('sil') });
export const SilenceListQuerySchema = Type.Object(
  {
    ...pageQueryProperties(SILENCE_PAGE_DEFAULT, SILENCE_PAGE_MAX),
    state: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('expired')]),
    ),
  },
  { additionalProperties: false },
);
export const SilenceListResponseSchema = Type.Object({ silences: Type.Array(SilenceSchema) });

export const PromQueryQuerySchema = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 10_000 }),
    time: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const PromQueryRangeQuerySchema = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 10_000 }),
    start: Type.String({ maxLength: 64 }),
    end: Type.String({ maxLength: 64 }),
    step: Type.String({ maxLength: 32 }),
  },
  { additionalProperties: false },
);
/** Prometheus' own `/api/v1/query` answer, passed through unchanged. */
export const PromApiResponseSchema = Type.Object(
  { status: Type.String(), data: Type.Optional(Type.Unknown()) },
  { additionalProperties: true },
);

/** Prometheus `http_sd_configs` document. */
export const HttpSdResponseSchema = Type.Array(
  Type.Object({ targets: Type.Array(Type.String()), labels: Type.Record(Type.String(), Type.String()) }),
);

export const MonitoringWebhookAlertSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
    labels: Type.Record(Type.String(), Type.String()),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    startsAt: Type.String(),
    endsAt: Type.Optional(Type.String()),
    generatorURL: Type.Optional(Type.String()),
    fingerprint: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/** Alertmanager's webhook body, version 4, as sent and as received. */
export const MonitoringWebhookSchema = Type.Object(
  {
    version: Type.String(),
    groupKey: Type.String(),
    truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
    status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
    receiver: Type.String(),
    groupLabels: Type.Record(Type.String(), Type.String()),
    commonLabels: Type.Record(Type.String(), Type.String()),
    commonAnnotations: Type.Record(Type.String(), Type.String()),
    externalURL: Type.String(),
    alerts: Type.Array(MonitoringWebhookAlertSchema, { maxItems: 10_000 }),
  },
  { additionalProperties: true },
);
export type MonitoringWebhook = Static<typeof MonitoringWebhookSchema>;
export const MonitoringWebhookAcceptedSchema = Type.Object({ accepted: Type.Integer() });

export const ReceiverKindSchema = Type.Union(
  [Type.Literal('chatops'), Type.Literal('webhook'), Type.Literal('alertmanager')],
  { description: 'chatops: the ChatOps service (on to Slack); webhook: any Alertmanager-format receiver' },
);

export const ReceiverSchema = Type.Object({
  name: Type.String(),
  kind: ReceiverKindSchema,
  /** Scheme, host and path only: credentials and query strings are not shown. */
  url: Type.String(),
  lastAttemptAt: Type.Union([TimestampSchema, Type.Null()]),
  lastSuccessAt: Type.Union([TimestampSchema, Type.Null()]),
  /** The last failure: a delivery that failed, or one the receiver accepted but passed on nowhere. */
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([TimestampSchema, Type.Null()]),
  /** Notifications waiting in the outbox for this receiver (always 0 for Alertmanager). */
  pending: Type.Integer({ minimum: 0 }),
});
export type Receiver = Static<typeof ReceiverSchema>;

export const ReceiversResponseSchema = Type.Object({
  receivers: Type.Array(ReceiverSchema),
  /** With no receiver: what to set so alerts are delivered; else null. */
  hint: Type.Union([Type.String(), Type.Null()]),
});
