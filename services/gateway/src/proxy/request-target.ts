import { normalizePath } from '../router/normalize-path.js';

/** A request's origin-form target, its path normalised once for every use. */
export type RequestTarget =
  | { ok: true; url: string; path: string; query: string }
  | { ok: false; reason: string; path: string; query: string };

/**
 * Splits `path?query` and normalises the path ({@link normalizePath}); the query passes as sent.
 *
 * @example
 * normalizeTarget('/api/auth/%6cogin?x=1') // { ok: true, url: '/api/auth/login?x=1', path: '/api/auth/login', query: 'x=1' }
 */
export function normalizeTarget(url: string): RequestTarget {
  const q = url.indexOf('?');
  const raw = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : '';
  const n = normalizePath(raw);
  if (!n.ok) return { ok: false, reason: n.reason, path: raw, query };
  const path = n.path;
  return { ok: true, url: path === raw ? url : q >= 0 ? `${path}?${query}` : path, path, query };
}

/**
 * The origin-form of an absolute-form target (`http://host/path?q`, which RFC 9112 §3.2.2 says a
 * server must accept) and the host it names, which replaces the Host header; undefined for any
 * other form or scheme.
 *
 * @example
 * fromAbsoluteForm('http://example.com/api/ml/models?limit=5') // { host: 'example.com', url: '/api/ml/models?limit=5' }
 */
export function fromAbsoluteForm(url: string): { host: string; url: string } | undefined {
  const m = /^https?:\/\/([^/?#]*)/i.exec(url);
  if (!m) return undefined;
  const authority = m[1]!;
  const rest = url.slice(m[0].length);
  return {
    host: authority.slice(authority.lastIndexOf('@') + 1),
    url: rest.charCodeAt(0) === 47 ? rest : `/${rest}`,
  };
}

/**
 * Whether an upstream path is one of a service's own probe, scrape or span-receiver endpoints
 * (`/metrics`, `/health`, `/health/...`, `/v1/traces`), which answer anyone who reaches the
 * service, as a collector's receiver inside a cluster does, and so must not be reached through
 * the gateway. `path` is already normalised; a trailing slash and letter case are ignored, as a
 * router set to ignore them would.
 *
 * @example
 * isServiceInternalPath('/health/ready/') // true
 * isServiceInternalPath('/models') // false
 */
export function isServiceInternalPath(path: string): boolean {
  // Every proxied request asks: most paths are ruled out by their first letter, with no copy made.
  const first = path.charCodeAt(1) | 0x20;
  if (first !== 0x6d && first !== 0x68 && first !== 0x76) return false; // m, h, v
  const p = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();
  return p === '/metrics' || p === '/health' || p.startsWith('/health/') || p === '/v1/traces';
}
