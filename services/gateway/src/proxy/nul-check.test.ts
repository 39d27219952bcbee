import { describe, expect, it } from 'vitest';
import { nulInQuery } from './nul-check.js';

describe('nulInQuery', () => {
  it('names the query field carrying a NUL, as the kit does', () => {
    expect(nulInQuery('q=a&page=2')).toBeNull();
    expect(nulInQuery('page=1&q=a%00b')).toBe('querystring.q');
    expect(nulInQuery('k%00ey=1')).toBe('querystring.key');
  });
});
