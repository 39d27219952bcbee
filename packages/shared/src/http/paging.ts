import { PAGE_NEXT_HEADER, PAGE_TOTAL_HEADER } from '@opsmesh/contracts/paging';

/** One page of a list: how many rows from where. */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** The page a list route was asked for; the schema (`pageQueryProperties`) has bounded both. */
export function pageRequest(query: { limit?: number; offset?: number }, defaultLimit: number): PageRequest {
  return { limit: query.limit ?? defaultLimit, offset: query.offset ?? 0 };
}

/**
 * Says on the answer how much there is: `x-total-count`, and `x-next-offset` unless this page
 * reached the end. Every paged list answers this way, so one client loop follows them all.
 */
export function answerPage(
  reply: { header(name: string, value: string): unknown },
  page: PageRequest,
  returned: number,
  total: number,
): void {
  reply.header(PAGE_TOTAL_HEADER, String(total));
  const next = page.offset + returned;
  if (returned > 0 && next < total) reply.header(PAGE_NEXT_HEADER, String(next));
}

/**
 * Every item of a paged list: asks for pages from offset 0 and follows `x-next-offset` until it
 * is absent. `fetchPage` answers a page's items and its response headers.
 */
export async function collectPages<T>(
  fetchPage: (offset: number) => Promise<{ items: T[]; headers: Headers }>,
): Promise<T[]> {
  const all: T[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const { items, headers } = await fetchPage(offset);
    all.push(...items);
    const next = headers.get(PAGE_NEXT_HEADER);
    offset = next !== null && Number(next) > offset ? Number(next) : undefined;
  }
  return all;
}
