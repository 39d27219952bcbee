import { describe, expect, it } from 'vitest';
import { type AjvLikeError, validationProblem } from './validation-problem.js';

const fields = (context: string, errors: AjvLikeError[], schema: unknown = {}) =>
  validationProblem(context, errors, schema).fieldErrors;

describe('validationProblem', () => {
  it('collapses a failed union of literals into one message listing the allowed values', () => {
    const errors = ['critical', 'warning', 'info'].map((v) => ({
      instancePath: '/severity',
      keyword: 'const',
      params: { allowedValue: v },
      message: 'must be equal to constant',
    }));
    const problem = validationProblem(
      'body',
      [
        ...errors,
        { instancePath: '/severity', keyword: 'anyOf', params: {}, message: 'must match a schema in anyOf' },
      ],
      {},
    );
    expect(problem.fieldErrors).toEqual([
      { field: 'body.severity', message: 'must be one of "critical", "warning", "info"' },
    ]);
    expect(problem.detail).toBe('body.severity must be one of "critical", "warning", "info"');
  });

  it('lists enum values, and shows a pattern with the example the schema gives', () => {
    expect(
      fields('querystring', [
        { instancePath: '/state', keyword: 'enum', params: { allowedValues: ['active', 'expired'] } },
      ]),
    ).toEqual([{ field: 'querystring.state', message: 'must be one of "active", "expired"' }]);
    expect(
      fields('params', [
        {
          instancePath: '/name',
          keyword: 'pattern',
          params: { pattern: '^[a-z]+$' },
          parentSchema: { examples: ['iris-classifier'] },
        },
        { instancePath: '/alias', keyword: 'pattern', params: { pattern: '^[a-z]+$' }, parentSchema: {} },
      ]),
    ).toEqual([
      { field: 'params.name', message: 'must look like "iris-classifier" (pattern ^[a-z]+$)' },
      { field: 'params.alias', message: 'must match the pattern ^[a-z]+$' },
    ]);
  });

  it('keeps other fields of the same request apart', () => {
    expect(
      fields('body', [
        { instancePath: '', keyword: 'required', params: { missingProperty: 'comment' } },
        { instancePath: '/op', keyword: 'const', params: { allowedValue: '>' } },
        { instancePath: '/n', keyword: 'type', params: {}, message: 'must be integer' },
      ]),
    ).toEqual([
      { field: 'body.comment', message: 'is required' },
      { field: 'body.op', message: 'must be ">"' },
      { field: 'body.n', message: 'must be integer' },
    ]);
  });
});
