import { describe, expect, it } from 'vitest';
import { nulInUrl } from './nul-check.js';

describe('nulInUrl', () => {
  it('names the path or the query field carrying a NUL, as the kit does', () => {
    expect(nulInUrl('/api/ml/models', 'q=a&page=2')).toBeNull();
    expect(nulInUrl('/api/ml/a%00b', '')).toBe('params.*');
    expect(nulInUrl('/api/ml/models', 'page=1&q=a%00b')).toBe('querystring.q');
    expect(nulInUrl('/api/ml/models', 'k%00ey=1')).toBe('querystring.key');
  });
});
