import type { Logger } from '@opsmesh/shared/logging/logger';
import { createService, type ServiceApp } from '@opsmesh/shared/service/create-service';
import { formBodyParser } from '@opsmesh/shared/service/form-body';
import type { AuthConfig } from './config.js';
import type { AuthDeps } from './deps.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { directoryRoutes } from './routes/directory.js';
import { meRoutes } from './routes/me.js';
import { revocationRoutes } from './routes/revocations.js';
import { userRoutes } from './routes/users.js';

export const VERSION = '0.1.0';

/** The auth service as an un-started Fastify instance; `main.ts` listens, tests inject. */
export function buildApp(
  config: AuthConfig,
  deps: AuthDeps,
  options: { processMetrics?: boolean; logger?: Logger } = {},
): ServiceApp {
  const app = createService({
    name: 'auth-service',
    version: VERSION,
    description: 'Users, sessions, access tokens (EdDSA JWT + JWKS), API keys and service accounts',
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT,
    bodyMinBytesPerSecond: config.BODY_MIN_BYTES_PER_SECOND,
    trustProxy: config.TRUST_PROXY,
    authenticator: deps.authenticator,
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
    ...(options.logger ? { logger: options.logger } : {}),
  });

  // OAuth 2 clients post form bodies to /token and /introspect (RFC 6749 §4.4, RFC 7662 §2.1).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, formBodyParser);

  app.addReadinessCheck('database', () => deps.database.ping());
  app.addReadinessCheck('signing-key', async () => {
    if (deps.jwt.jwks().keys.length === 0) throw new Error('no signing key loaded');
  });

  app.register(authRoutes, {
    sessions: deps.sessions,
    users: deps.users,
    credentials: deps.credentials,
    jwt: deps.jwt,
    registration: config.REGISTRATION,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  app.register(meRoutes, { users: deps.users, sessions: deps.sessionRepo, credentials: deps.credentials });
  app.register(userRoutes, { users: deps.users, sessions: deps.sessionRepo });
  app.register(directoryRoutes, { users: deps.users });
  app.register(adminRoutes, { jwt: deps.jwt, credentials: deps.credentials, audit: deps.audit });
  app.register(revocationRoutes, { hub: deps.revocationHub });

  app.addHook('onReady', async () => {
    await deps.revocationHub.start(app.log);
    await deps.retention.start(app.log);
  });
  // Long polls answer at once when shutdown starts, so draining does not wait for them.
  app.addHook('preClose', async () => {
    await deps.revocationHub.close();
    await deps.retention.close();
  });
  app.addHook('onClose', async () => {
    await deps.database.close();
  });
  return app;
}
