import { describe, expect, it } from 'vitest';
import { pageAround } from './paging.js';

describe('pageAround', () => {
  it('places a page in the whole and links the pages either side', () => {
    expect(pageAround({ offset: 0, shown: 50, size: 50, total: 120, next: 50 })).toEqual({
      note: '1–50 of 120',
      newer: undefined,
      older: 50,
    });
    expect(pageAround({ offset: 50, shown: 50, size: 50, total: 120, next: 100 })).toEqual({
      note: '51–100 of 120',
      newer: 0,
      older: 100,
    });
    expect(pageAround({ offset: 100, shown: 20, size: 50, total: 120, next: undefined })).toEqual({
      note: '101–120 of 120',
      newer: 50,
      older: undefined,
    });
  });

  it('says when a page past the end is empty, and never links a next page that does not move on', () => {
    expect(pageAround({ offset: 200, shown: 0, size: 50, total: 120, next: undefined })).toEqual({
      note: 'none of 120',
      newer: 150,
      older: undefined,
    });
    expect(pageAround({ offset: 50, shown: 1, size: 50, total: 120, next: 50 }).older).toBeUndefined();
  });
});
