import { describe, expect, it } from 'vitest';
import { normalizePath } from './normalize-path.js';

const ok = (raw: string) => {
  const r = normalizePath(raw);
  if (!r.ok) throw new Error(`${raw} refused: ${r.reason}`);
  return r.path;
};
const refused = (raw: string) => {
  const r = normalizePath(raw);
  if (r.ok) throw new Error(`${raw} accepted as ${r.path}`);
  return r.reason;
};

describe('normalizePath', () => {
  it('keeps a path that is already normal as the same string', () => {
    for (const p of [
      '/',
      '/api/auth/login',
      '/api/ml/v2/models/iris-classifier/infer',
      '/a/b/',
      "/x/a.b/~c_d-e!$&'()*+,;=:@",
    ])
      expect(ok(p)).toBe(p);
  });

  it('decodes escaped unreserved characters, in any case, and upper-cases the other escapes', () => {
    expect(ok('/api/auth/%6cogin')).toBe('/api/auth/login');
    expect(ok('/api/auth/%6C%6f%67%69%6E')).toBe('/api/auth/login');
    expect(ok('/api/%41%7a%30%2d%2e%5f%7e')).toBe('/api/Az0-._~');
    expect(ok('/q/a%3ab%40c%2bd%20e')).toBe('/q/a%3Ab%40c%2Bd%20e');
    expect(ok('/q/%c3%a9t%C3%A9')).toBe('/q/%C3%A9t%C3%A9');
    expect(ok('/q/%F0%9F%98%80')).toBe('/q/%F0%9F%98%80');
    expect(ok('/q/100%25')).toBe('/q/100%25');
    expect(ok('/q/a|b{c}')).toBe('/q/a%7Cb%7Bc%7D');
  });

  it('resolves dot segments, escaped or not, and merges repeated slashes', () => {
    expect(ok('/api/ml/../auth/login')).toBe('/api/auth/login');
    expect(ok('/api/ml/%2e%2e/auth/login')).toBe('/api/auth/login');
    expect(ok('/api/ml/%2E./auth/%2e/login')).toBe('/api/auth/login');
    expect(ok('/api/auth/./login')).toBe('/api/auth/login');
    expect(ok('/api//auth///login')).toBe('/api/auth/login');
    expect(ok('//api/auth/login')).toBe('/api/auth/login');
    expect(ok('/api/auth/login/.')).toBe('/api/auth/login/');
    expect(ok('/api/auth/x/..')).toBe('/api/auth/');
    expect(ok('/api/auth/login/')).toBe('/api/auth/login/');
    expect(ok('/api/auth/..login')).toBe('/api/auth/..login');
    expect(ok('/api/auth/.x/a..')).toBe('/api/auth/.x/a..');
    expect(ok('/.')).toBe('/');
  });

  it('refuses what would read differently in different places, saying why', () => {
    expect(refused('/api/auth%2flogin')).toContain('encoded "/" (%2F)');
    expect(refused('/api/auth%2Flogin')).toContain('encoded "/"');
    expect(refused('/api/auth%5clogin')).toContain('(%5C)');
    expect(refused('/api/auth\\login')).toContain('backslash');
    expect(refused('/api/auth/%00login')).toContain('NUL');
    expect(refused('/api/auth/%0alogin')).toContain('control');
    expect(refused('/api/auth/%7f')).toContain('control');
    expect(refused('/api/auth/%252e%252e/x')).toContain('twice');
    expect(refused('/api/auth/%256cogin')).toContain('twice');
    expect(refused('/api/auth/%6')).toContain('two hex digits');
    expect(refused('/api/auth/%zz')).toContain('two hex digits');
    expect(refused('/api/auth/%')).toContain('two hex digits');
    expect(refused('/../etc/passwd')).toContain('above the root');
    expect(refused('/api/%2e%2e/%2e%2e/%2e%2e/x')).toContain('above the root');
    expect(refused('/api/\u00e9')).toContain('non-ASCII');
    expect(refused('/api/a\u0001b')).toContain('control');
  });

  it('refuses escapes that are not UTF-8: overlong forms, surrogates, stray or truncated bytes', () => {
    for (const bad of [
      '%C0%AF',
      '%C1%81',
      '%E0%80%AF',
      '%F0%80%80%AF',
      '%ED%A0%80',
      '%F4%90%80%80',
      '%80',
      '%C3',
      '%C3%28',
      '%E2%82',
      '%FF',
    ])
      expect(refused(`/q/${bad}`)).toContain('not UTF-8');
  });
});
