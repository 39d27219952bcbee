import { type SelectQueryBuilder, sql } from 'kysely';
import type { PageRequest } from '../http/paging.js';

/**
 * One page of `query`'s rows, newest first (`created_at`, then `id`, descending, so the order is
 * total), and how many rows the query matches in all: what `answerPage` needs.
 */
export async function newestPage<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, object>,
  page: PageRequest,
) {
  const [rows, counted] = await Promise.all([
    query.selectAll().orderBy(sql`created_at desc, id desc`).limit(page.limit).offset(page.offset).execute(),
    query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number((counted as { n: string }).n) };
}
