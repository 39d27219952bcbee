import { describe, expect, it } from 'vitest';
import { answerPage, collectPages, pageRequest } from './paging.js';

function headersOf(page: { limit: number; offset: number }, returned: number, total: number) {
  const set = new Map<string, string>();
  answerPage({ header: (n: string, v: string) => set.set(n, v) }, page, returned, total);
  return set;
}

describe('paging', () => {
  it('takes the route default when no limit is asked for', () => {
    expect(pageRequest({}, 100)).toEqual({ limit: 100, offset: 0 });
    expect(pageRequest({ limit: 5, offset: 10 }, 100)).toEqual({ limit: 5, offset: 10 });
  });

  it('says the total and where the next page starts, and no next offset on the last page', () => {
    expect(Object.fromEntries(headersOf({ limit: 2, offset: 0 }, 2, 5))).toEqual({
      'x-total-count': '5',
      'x-next-offset': '2',
    });
    expect(Object.fromEntries(headersOf({ limit: 2, offset: 4 }, 1, 5))).toEqual({ 'x-total-count': '5' });
    expect(Object.fromEntries(headersOf({ limit: 2, offset: 9 }, 0, 5))).toEqual({ 'x-total-count': '5' });
  });

  it('follows x-next-offset to the end, and stops on one that does not move forward', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => i);
    const asked: number[] = [];
    const all = await collectPages(async (offset) => {
      asked.push(offset);
      const items = rows.slice(offset, offset + 3);
      const headers = new Headers();
      if (offset + items.length < rows.length) headers.set('x-next-offset', String(offset + items.length));
      return { items, headers };
    });
    expect(all).toEqual(rows);
    expect(asked).toEqual([0, 3, 6]);
    const stuck = await collectPages(async () => ({
      items: [1],
      headers: new Headers({ 'x-next-offset': '0' }),
    }));
    expect(stuck).toEqual([1]);
  });
});
