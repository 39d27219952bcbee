/**
 * Where a request URL carries a NUL character (`%00`), named as the kit's services name it
 * (`params.*`, `querystring.q`), or null. The kit refuses NUL in every service's input
 * (PostgreSQL text cannot hold it); the gateway refuses it before it travels any further.
 * Only URLs that contain `%00` at all are parsed.
 *
 * @example
 * nulInUrl('/api/ml/models', 'q=a%00b') // 'querystring.q'
 */
export function nulInUrl(path: string, query: string): string | null {
  if (path.includes('%00')) return 'params.*';
  if (!query.includes('%00')) return null;
  for (const [key, value] of new URLSearchParams(query)) {
    if (key.includes('\u0000')) return `querystring.${key.replaceAll('\u0000', '')}`;
    if (value.includes('\u0000')) return `querystring.${key}`;
  }
  return null;
}
