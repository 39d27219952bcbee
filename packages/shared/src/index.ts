/// <reference types="@fastify/swagger" preserve="true" />
// Route schemas across services use the OpenAPI fields (`tags`, `summary`, `hide`) this adds.

export * from './clients/auth-client.js';
export * from './config/load-config.js';
export * from './db/database.js';
export * from './db/migrate.js';
export * from './db/pglite-dialect.js';
export * from './errors/app-error.js';
export * from './errors/define-errors.js';
export * from './http/caller-text.js';
export * from './http/circuit-breaker.js';
export * from './http/discovery.js';
export * from './http/dns-discovery.js';
export * from './http/etcd-discovery.js';
export * from './http/http-client.js';
export * from './identity/authenticator.js';
export * from './identity/hooks.js';
export * from './identity/key-source.js';
export * from './identity/permissions.js';
export * from './identity/token-verifier.js';
export type * from './identity/types.js';
export * from './ids/new-id.js';
export * from './ids/random-pool.js';
export * from './logging/error-serializer.js';
export * from './logging/logger.js';
export * from './logging/redact.js';
export * from './service/create-service.js';
export * from './service/error-handler.js';
export * from './service/health.js';
export * from './service/metrics.js';
export * from './service/problem.js';
export * from './service/request-id.js';
export * from './service/serve.js';
export * from './service/shutdown.js';
export * from './service/trace-context.js';
export * from './supervisor/supervisor.js';
export * from './tracing/clock.js';
export * from './tracing/span-exporter.js';
