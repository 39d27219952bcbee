import type { CorsConfig } from '../config/plugin-schemas.js';

function allowedOrigin(config: CorsConfig, origin: string): string | undefined {
  if (config.origins.includes('*')) return config.credentials ? origin : '*';
  return config.origins.includes(origin) ? origin : undefined;
}

/**
 * Adds the CORS headers of an actual (non-preflight) answer to flat name/value pairs; true
 * when the origin is allowed.
 */
export function pushCorsHeaders(out: string[], config: CorsConfig, origin: string | undefined): boolean {
  if (!origin) return false;
  const allowed = allowedOrigin(config, origin);
  out.push('vary', 'Origin');
  if (!allowed) return false;
  out.push('access-control-allow-origin', allowed);
  if (config.credentials) out.push('access-control-allow-credentials', 'true');
  if (config.exposed_headers.length)
    out.push('access-control-expose-headers', config.exposed_headers.join(', '));
  return true;
}

/**
 * The headers of a preflight's 204: what the route allows, or no allow headers at all for an
 * origin it does not accept (the browser then refuses).
 */
export function pushPreflightHeaders(
  out: string[],
  config: CorsConfig,
  origin: string,
  requestedHeaders: string | undefined,
): void {
  if (!pushCorsHeaders(out, config, origin)) return;
  out.push('access-control-allow-methods', config.methods.join(', '));
  const headers = config.headers?.join(', ') ?? requestedHeaders;
  if (headers) out.push('access-control-allow-headers', headers);
  out.push('access-control-max-age', String(config.max_age));
}
