/**
 * The query field carrying a NUL character (`%00`), named as the kit's services name it
 * (`querystring.q`), or null. The kit refuses NUL in every service's input (PostgreSQL text
 * cannot hold it); the gateway refuses it before it travels any further. (A NUL in the path
 * is refused by path normalisation.) Only queries that contain `%00` at all are parsed.
 *
 * @example
 * nulInQuery('q=a%00b') // 'querystring.q'
 */
export function nulInQuery(query: string): string | null {
  if (!query.includes('%00')) return null;
  for (const [key, value] of new URLSearchParams(query)) {
    if (key.includes('\u0000')) return `querystring.${key.replaceAll('\u0000', '')}`;
    if (value.includes('\u0000')) return `querystring.${key}`;
  }
  return null;
}
