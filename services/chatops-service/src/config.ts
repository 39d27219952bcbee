import { CommonConfig } from '@opsmesh/shared';
import { type Static, Type } from '@sinclair/typebox';
import { SLACK_RESPONSE_ORIGINS } from './slack/response-url-policy.js';

const ORIGIN = String.raw`https?://(\*\.[A-Za-z0-9.-]+|[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:(\*|[0-9]{1,5}))?/?`;

export const ChatopsConfigSchema = Type.Object({
  ...CommonConfig.properties,
  PORT: Type.Integer({ default: 8084, minimum: 0, maximum: 65535 }),
  SLACK_SIGNING_SECRET: Type.Optional(
    Type.String({
      minLength: 8,
      description: 'the Slack app signing secret; Slack routes answer 404 without it',
    }),
  ),
  SLACK_BOT_TOKEN: Type.Optional(
    Type.String({ minLength: 8, description: 'xoxb-... token for chat.postMessage' }),
  ),
  SLACK_API_URL: Type.String({ default: 'https://slack.com/api', pattern: '^https?://' }),
  SLACK_WEBHOOK_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'incoming webhook for alerts when there is no bot token',
    }),
  ),
  SLACK_RESPONSE_URL_ALLOW: Type.String({
    default: SLACK_RESPONSE_ORIGINS,
    pattern: `^\\s*${ORIGIN}(\\s*,\\s*${ORIGIN})*\\s*$`,
    description:
      'origins a Slack response_url may point at (scheme://host[:port], *.host and :* allowed), comma-separated; replies to any other URL are logged and not sent',
  }),
  SLACK_ALERT_CHANNEL: Type.String({ default: '#alerts', minLength: 1 }),
  SLACK_ALERT_ROUTES: Type.String({
    default: 'severity=critical:#alerts-critical',
    description: 'label=value[,label=value]:#channel entries separated by ;',
  }),
  /** How long a Slack request may take before the answer moves to `response_url` (Slack allows 3 s). */
  SLACK_INLINE_BUDGET_MS: Type.Integer({ default: 2000, minimum: 100, maximum: 2800 }),
  CONFIRMATION_TTL_SECONDS: Type.Integer({ default: 300, minimum: 5, maximum: 86_400 }),
  LINK_CODE_TTL_SECONDS: Type.Integer({ default: 600, minimum: 30, maximum: 86_400 }),
  NLP_CONFIDENCE_THRESHOLD: Type.Number({ default: 0.35, minimum: 0, maximum: 1 }),
  LEXICON_REFRESH_SECONDS: Type.Integer({ default: 30, minimum: 1, maximum: 3600 }),
  /** A shared bearer token a real Alertmanager can send (`http_config.authorization`). */
  NOTIFY_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** This service's own account, used for the token exchange that lets linked Slack users act. */
  CHATOPS_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  CHATOPS_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 8 })),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 60_000 }),
});

export type ChatopsConfig = Static<typeof ChatopsConfigSchema>;
