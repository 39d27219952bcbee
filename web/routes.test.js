import { describe, expect, it } from 'vitest';
import { match } from './routes.js';

describe('match', () => {
  it('decodes parameters and takes a query', () => {
    const found = match('#/models/iris%2Dclassifier?x=1');
    expect(found?.route.path).toBe('models/:name');
    expect(found?.params).toEqual({ name: 'iris-classifier' });
    expect(found?.query.get('x')).toBe('1');
  });

  it('finds no route, rather than throwing, for an escape that is not UTF-8', () => {
    expect(match('#/models/%E0%A4%A')).toBeNull();
    expect(match('#/traces/%')).toBeNull();
    expect(match('#/models')?.route.path).toBe('models');
  });
});
