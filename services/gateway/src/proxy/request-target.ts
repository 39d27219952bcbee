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
