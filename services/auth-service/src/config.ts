import { CommonConfig } from '@opsmesh/shared/config/load-config';
import { type Static, Type } from '@sinclair/typebox';

export const AuthConfigSchema = Type.Object({
  ...CommonConfig.properties,
  PORT: Type.Integer({ default: 8081, minimum: 0, maximum: 65535 }),
  OPSMESH_ADMIN_EMAIL: Type.String({
    default: 'admin@opsmesh.local',
    format: 'email',
    description: 'an email address',
  }),
  OPSMESH_ADMIN_PASSWORD: Type.Optional(
    Type.String({ minLength: 12, maxLength: 128, description: '12 to 128 characters' }),
  ),
  REGISTRATION: Type.Union([Type.Literal('open'), Type.Literal('admin')], { default: 'admin' }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 60, maximum: 3600 }),
  SESSION_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 365 }),
  /** Live API keys one owner may hold; one more is a 409 that says to revoke one. */
  API_KEYS_MAX: Type.Integer({ default: 50, minimum: 1, maximum: 10_000 }),
  /** Live sessions per user; a login past it revokes that user's oldest session. */
  SESSIONS_MAX: Type.Integer({ default: 50, minimum: 1, maximum: 10_000 }),
  /** Days revoked or expired sessions and API keys stay listed before the hourly purge deletes them. */
  REVOKED_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 3650 }),
  /** `name=secret,name=secret`: service accounts created or re-keyed at start (the ChatOps service, the gateway). */
  OPSMESH_SERVICE_ACCOUNTS: Type.Optional(
    Type.String({
      pattern: '^([a-z][a-z0-9-]+=[^,=]{16,},?)+$',
      description: 'name=secret pairs, secrets of 16+ characters',
    }),
  ),
});
export type AuthConfig = Static<typeof AuthConfigSchema>;
