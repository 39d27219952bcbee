// Paging's plain values, in a module of their own with no schema in it: a client that only needs a
// header name or a page size (the `opsmesh` CLI) loads them without building every schema.

/**
 * Paged lists answer one page in the body; `x-total-count` says how many match in all and
 * `x-next-offset` (absent on the last page) where the next page starts.
 */
export const PAGE_TOTAL_HEADER = 'x-total-count';
export const PAGE_NEXT_HEADER = 'x-next-offset';

/** Versions a page of `GET /models/{name}/versions` holds unless asked otherwise, and at most. */
export const VERSION_PAGE_DEFAULT = 100;
export const VERSION_PAGE_MAX = 1000;

/** Silences a page holds unless asked otherwise, and at most. */
export const SILENCE_PAGE_DEFAULT = 100;
export const SILENCE_PAGE_MAX = 1000;
