import { describe, expect, it } from 'vitest';
import { transformHeaders, transformJsonBody, transformQuery } from './field-ops.js';
import { compileTransform } from './transformers.js';

describe('transformHeaders', () => {
  it('removes, renames, replaces only present and adds only absent headers', () => {
    const h: Record<string, string | string[] | undefined> = { 'x-old': '1', 'x-drop': 'a', 'x-keep': 'k' };
    transformHeaders(h, {
      remove: ['X-Drop'],
      rename: { 'x-old': 'X-New' },
      replace: { 'x-keep': 'K2', 'x-missing': 'no' },
      add: { 'x-keep': 'never', 'x-added': 'yes' },
    });
    expect(h).toEqual({ 'x-new': '1', 'x-keep': 'K2', 'x-added': 'yes' });
  });
});

describe('transformQuery', () => {
  it('works on every value of repeated parameters', () => {
    const q = transformQuery('a=1&a=2&b=x&c=3', {
      remove: ['c'],
      rename: { a: 'alpha' },
      replace: { b: 'y', z: 'no' },
      add: { b: 'never', d: '4' },
    });
    expect(q).toBe('b=y&alpha=1&alpha=2&d=4');
  });
});

describe('transformJsonBody', () => {
  it('handles top-level and dotted fields', () => {
    const body = { password: 'p', user: { name: 'n', id: 1 }, kind: 'a' };
    expect(
      transformJsonBody(body, {
        remove: ['password'],
        rename: { 'user.name': 'user.login', kind: 'meta.kind' },
        replace: { 'user.id': 2, absent: 1 },
        add: { source: 'gateway', 'user.id': 99 },
      }),
    ).toEqual({ user: { login: 'n', id: 2 }, meta: { kind: 'a' }, source: 'gateway' });
  });

  it('leaves arrays and scalars alone', () => {
    expect(transformJsonBody([1, 2], { add: { a: 1 } })).toEqual([1, 2]);
    expect(transformJsonBody('x', { remove: ['a'] })).toBe('x');
  });
});

describe('compileTransform', () => {
  it('regroups the config per kind and says which kinds it touches', () => {
    const t = compileTransform({ add: { headers: { 'x-a': '1' } }, remove: { body: ['secret'] } });
    expect(t).toMatchObject({ touchesHeaders: true, touchesBody: true, touchesQuery: false });
    expect(t.body.remove).toEqual(['secret']);
  });
});
