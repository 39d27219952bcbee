import type { IncomingHttpHeaders } from 'node:http';

/**
 * Paths as the caller sees them. The gateway strips its mount prefix (`/api/ml`) before a
 * request reaches a service and tells the service what it stripped in `x-forwarded-prefix`
 * (the header Spring, Traefik and others use). Hints in error details name routes the way a
 * service knows them (`GET /models`); a caller that came through the gateway must see
 * `GET /api/ml/models`.
 */

/** Only plain path segments: the header only ever changes message text, never routing. */
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+){1,8}$/;
/** Any method Node's parser takes (OPTIONS, TRACE, PROPFIND, M-SEARCH, ...): a 404 names the caller's. */
const ROUTE_HINT = /\b([A-Z][A-Z-]{2,15}) (\/[^\s"'`),;]*)/g;

/** The prefix the gateway stripped from this request, or undefined when it came directly. */
export function forwardedPrefix(headers: IncomingHttpHeaders): string | undefined {
  const value = headers['x-forwarded-prefix'];
  return typeof value === 'string' && value.length <= 200 && PREFIX.test(value) ? value : undefined;
}

/**
 * Rewrites every `METHOD /path` in `text` to the caller's path. A path already under the
 * prefix's first segment (`/api/...`) is the gateway's already and is left as it is.
 *
 * @example
 * asCallerSees('No model "x"; GET /models lists them.', '/api/ml')
 * // 'No model "x"; GET /api/ml/models lists them.'
 */
export function asCallerSees(text: string, prefix: string | undefined): string {
  if (!prefix) return text;
  const second = prefix.indexOf('/', 1);
  const root = second < 0 ? prefix : prefix.slice(0, second);
  return text.replace(ROUTE_HINT, (hint, method: string, path: string) =>
    path === root || path.startsWith(`${root}/`) ? hint : `${method} ${prefix}${path === '/' ? '' : path}`,
  );
}
