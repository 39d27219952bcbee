import { type Static, Type } from '@sinclair/typebox';
import { pageQueryProperties, prefixedId, TimestampSchema } from './common.js';

/** Entities the ChatOps NLP finds in a message, as one flat object (keys only where the text gives them). */
export const ChatEntitiesSchema = Type.Object(
  {
    service: Type.Optional(Type.String({ examples: ['ml-service'] })),
    model: Type.Optional(Type.String({ examples: ['iris-classifier'] })),
    alias: Type.Optional(Type.String({ examples: ['production'] })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    features: Type.Optional(Type.Array(Type.Number(), { maxItems: 1024 })),
    signal: Type.Optional(Type.String({ examples: ['latency_p99'] })),
    window: Type.Optional(Type.String({ examples: ['30m'] })),
    duration: Type.Optional(Type.String({ examples: ['2h'] })),
    alert: Type.Optional(Type.String({ examples: ['HighLatency'] })),
    alert_id: Type.Optional(Type.String()),
    silence_id: Type.Optional(Type.String()),
    severity: Type.Optional(Type.String({ examples: ['critical'] })),
    comment: Type.Optional(Type.String()),
    user: Type.Optional(Type.String()),
    code: Type.Optional(Type.String()),
  },
  { $id: 'ChatEntities', additionalProperties: false },
);
export type ChatEntities = Static<typeof ChatEntitiesSchema>;

export const RunOutcomeSchema = Type.Union(
  [
    'succeeded',
    'failed',
    'denied',
    'needs_input',
    'needs_confirmation',
    'cancelled',
    'expired',
    'clarify',
    'upstream_unavailable',
  ].map((v) => Type.Literal(v)),
);
export type RunOutcome = Static<typeof RunOutcomeSchema>;

/** One recorded command run: who, where, the text, what it was read as, and how it ended. */
export const CommandRunSchema = Type.Object(
  {
    id: prefixedId('run'),
    actor: Type.String({ description: 'Platform user the command ran as, or the chat user when unlinked' }),
    chatUser: Type.Union([Type.String(), Type.Null()]),
    source: Type.Union([Type.Literal('api'), Type.Literal('slack')]),
    channel: Type.Union([Type.String(), Type.Null()]),
    text: Type.String(),
    intent: Type.String(),
    parameters: Type.Record(Type.String(), Type.Unknown()),
    outcome: RunOutcomeSchema,
    reply: Type.String(),
    durationMs: Type.Integer({ minimum: 0 }),
    createdAt: TimestampSchema,
  },
  { $id: 'CommandRun' },
);
export type CommandRun = Static<typeof CommandRunSchema>;

export const ChatMessageRequestSchema = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { $id: 'ChatMessageRequest', additionalProperties: false },
);
export type ChatMessageRequest = Static<typeof ChatMessageRequestSchema>;

/** Slack Block Kit blocks, passed through as Slack defines them. */
export const BlocksSchema = Type.Array(Type.Record(Type.String(), Type.Unknown()));

export const ChatMessageResponseSchema = Type.Object(
  {
    reply: Type.String(),
    blocks: BlocksSchema,
    intent: Type.String(),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    entities: ChatEntitiesSchema,
    run: Type.Union([CommandRunSchema, Type.Null()]),
    /** Set when a change waits for `confirm <code>`. */
    confirmation: Type.Optional(Type.Object({ code: Type.String(), expiresAt: TimestampSchema })),
    /** Set when the message was unclear: the likely intents to choose from. */
    options: Type.Optional(Type.Array(Type.Object({ intent: Type.String(), confidence: Type.Number() }))),
    /**
     * Messages the person may have meant, to offer as buttons: sending `text` as the next message
     * does it (the same as the `chatops_say` buttons in `blocks`).
     */
    choices: Type.Optional(
      Type.Array(
        Type.Object({
          label: Type.String({ examples: ['HighErrorRatio'] }),
          text: Type.String({ examples: ['ack HighErrorRatio'] }),
        }),
        { maxItems: 10 },
      ),
    ),
    /** The trace the command ran in (`GET /api/monitoring/traces/{traceId}`); null when not traced. */
    traceId: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9a-f]{32}$' }), Type.Null()])),
  },
  { $id: 'ChatMessageResponse' },
);
export type ChatMessageResponse = Static<typeof ChatMessageResponseSchema>;

export const RunListQuerySchema = Type.Object({
  ...pageQueryProperties(20, 200),
  actor: Type.Optional(Type.String({ maxLength: 128 })),
});
export const RunListResponseSchema = Type.Object({ items: Type.Array(CommandRunSchema) });

/** A one-time code a platform user types in chat (`link <code>`) to act there as themselves. */
export const LinkCodeResponseSchema = Type.Object({
  code: Type.String({ pattern: '^[A-Z0-9]{4}-[A-Z0-9]{4}$' }),
  expiresAt: TimestampSchema,
  instructions: Type.String(),
});
export type LinkCodeResponse = Static<typeof LinkCodeResponseSchema>;

/** An admin links a chat user to a platform user directly. */
export const ChatLinkRequestSchema = Type.Object(
  {
    platform: Type.Literal('slack'),
    teamId: Type.String({ minLength: 1, maxLength: 64 }),
    chatUserId: Type.String({ minLength: 1, maxLength: 64 }),
    subject: Type.String({ minLength: 1, maxLength: 128, description: 'Platform user id (token `sub`)' }),
  },
  { additionalProperties: false },
);
export const ChatLinkSchema = Type.Object({
  platform: Type.Literal('slack'),
  teamId: Type.String(),
  chatUserId: Type.String(),
  subject: Type.String(),
  linkedAt: TimestampSchema,
});
export type ChatLink = Static<typeof ChatLinkSchema>;

/** The body of `POST /notifications/alertmanager`: an Alertmanager v4 webhook (also what the monitoring service sends). */
export const AlertNotificationAlertSchema = Type.Object({
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  labels: Type.Record(Type.String(), Type.String()),
  annotations: Type.Record(Type.String(), Type.String()),
  startsAt: Type.String(),
  endsAt: Type.Optional(Type.String()),
  generatorURL: Type.Optional(Type.String()),
  fingerprint: Type.Optional(Type.String()),
});
export const AlertNotificationSchema = Type.Object(
  {
    version: Type.Literal('4'),
    groupKey: Type.String({ minLength: 1, maxLength: 2048 }),
    truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
    status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
    receiver: Type.String(),
    groupLabels: Type.Record(Type.String(), Type.String()),
    commonLabels: Type.Record(Type.String(), Type.String()),
    commonAnnotations: Type.Record(Type.String(), Type.String()),
    externalURL: Type.Optional(Type.String()),
    alerts: Type.Array(AlertNotificationAlertSchema, { minItems: 1, maxItems: 1000 }),
  },
  { $id: 'ChatopsAlertNotification' },
);
export type AlertNotification = Static<typeof AlertNotificationSchema>;

export const NotificationResultSchema = Type.Object({
  deliveries: Type.Array(
    Type.Object({
      channel: Type.String(),
      alerts: Type.Integer(),
      ok: Type.Boolean(),
      threaded: Type.Boolean(),
      error: Type.Optional(Type.String()),
    }),
  ),
});
export type NotificationResult = Static<typeof NotificationResultSchema>;
