// One page of a paged list as the console shows it: where it is in the whole, and the offsets
// of the pages before and after it, read from the API's x-total-count and x-next-offset.

/**
 * What to say under a page and where its neighbours start (undefined when there is none).
 *
 * @example
 * pageAround({ offset: 50, shown: 50, size: 50, total: 120, next: 100 })
 * // { note: '51–100 of 120', newer: 0, older: 100 }
 */
export function pageAround({ offset, shown, size, total, next }) {
  const note = shown === 0 ? `none of ${total}` : `${offset + 1}–${offset + shown} of ${total}`;
  return {
    note,
    newer: offset > 0 ? Math.max(0, offset - size) : undefined,
    older: next !== undefined && next > offset ? next : undefined,
  };
}
