import type { Context } from './command.js';

/**
 * A function showing recorded user ids as emails, from the auth service's directory (any
 * signed-in caller may ask). Ids it cannot resolve, and every id when the directory cannot be
 * reached, are shown as they are: the listing matters more than the names.
 *
 * @example
 * const who = await peopleOf(ctx, alerts.map((a) => a.acknowledgedBy));
 * who('usr_abc') // 'ana@example.com'
 */
export async function peopleOf(
  ctx: Context,
  ids: readonly (string | null | undefined)[],
): Promise<(id: string) => string> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id?.startsWith('usr_'))))].slice(
    0,
    100,
  );
  if (ctx.out.json || !wanted.length) return (id) => id;
  try {
    const { items } = await ctx
      .api()
      .request<{ items: { id: string; email: string }[] }>('GET', '/api/auth/directory', {
        query: { id: wanted },
      });
    const emails = new Map(items.map((u) => [u.id, u.email]));
    return (id) => emails.get(id) ?? id;
  } catch {
    return (id) => id;
  }
}
