import type { FastifyReply } from 'fastify';
import type { CorsConfig } from '../config/plugin-schemas.js';

function allowedOrigin(config: CorsConfig, origin: string): string | undefined {
  if (config.origins.includes('*')) return config.credentials ? origin : '*';
  return config.origins.includes(origin) ? origin : undefined;
}

/** Adds CORS headers to an actual (non-preflight) answer. */
export function applyCors(reply: FastifyReply, config: CorsConfig, origin: string | undefined): void {
  if (!origin) return;
  const allowed = allowedOrigin(config, origin);
  reply.header('vary', 'Origin');
  if (!allowed) return;
  reply.header('access-control-allow-origin', allowed);
  if (config.credentials) reply.header('access-control-allow-credentials', 'true');
  if (config.exposed_headers.length)
    reply.header('access-control-expose-headers', config.exposed_headers.join(', '));
}

/** Answers a preflight: 204 with what the route allows, or 204 without allow headers (browser refuses). */
export function answerPreflight(
  reply: FastifyReply,
  config: CorsConfig,
  origin: string,
  requestedHeaders: string | undefined,
): FastifyReply {
  applyCors(reply, config, origin);
  if (allowedOrigin(config, origin)) {
    reply.header('access-control-allow-methods', config.methods.join(', '));
    const headers = config.headers?.join(', ') ?? requestedHeaders;
    if (headers) reply.header('access-control-allow-headers', headers);
    reply.header('access-control-max-age', String(config.max_age));
  }
  return reply.code(204).send();
}
