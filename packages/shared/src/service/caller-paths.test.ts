import { describe, expect, it } from 'vitest';
import { asCallerSees, forwardedPrefix } from './caller-paths.js';

describe('forwardedPrefix', () => {
  it('takes a plain path prefix and refuses anything else', () => {
    expect(forwardedPrefix({ 'x-forwarded-prefix': '/api/ml' })).toBe('/api/ml');
    expect(forwardedPrefix({})).toBeUndefined();
    for (const bad of ['api/ml', '/api/ml/', '/api ml', '/api/<b>', '//x', `/${'a'.repeat(300)}`]) {
      expect(forwardedPrefix({ 'x-forwarded-prefix': bad }), bad).toBeUndefined();
    }
  });
});

describe('asCallerSees', () => {
  it('prefixes every route hint with the path the caller used', () => {
    expect(asCallerSees('No model "x"; GET /models lists them.', '/api/ml')).toBe(
      'No model "x"; GET /api/ml/models lists them.',
    );
    expect(
      asCallerSees('upload one to POST /models/x/versions, then PUT /models/x/aliases/p', '/api/ml'),
    ).toBe('upload one to POST /api/ml/models/x/versions, then PUT /api/ml/models/x/aliases/p');
    expect(asCallerSees('No route DELETE /; see the docs.', '/api/auth')).toBe(
      'No route DELETE /api/auth; see the docs.',
    );
    for (const method of ['TRACE', 'OPTIONS', 'PROPFIND', 'M-SEARCH']) {
      expect(asCallerSees(`No route ${method} /users; see the docs.`, '/api/auth')).toBe(
        `No route ${method} /api/auth/users; see the docs.`,
      );
    }
  });

  it('leaves paths already under the gateway root, and text without a prefix, alone', () => {
    const hint = 'log in at POST /api/auth/login';
    expect(asCallerSees(hint, '/api/ml')).toBe(hint);
    expect(asCallerSees('GET /models lists them', undefined)).toBe('GET /models lists them');
    expect(asCallerSees('a GETter /models', '/api/ml')).toBe('a GETter /models');
  });
});
