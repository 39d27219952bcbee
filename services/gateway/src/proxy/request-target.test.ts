import { describe, expect, it } from 'vitest';
import { fromAbsoluteForm } from './request-target.js';

describe('fromAbsoluteForm', () => {
  it('gives the origin-form and the host of an http(s) absolute-form target', () => {
    expect(fromAbsoluteForm('http://example.com/api/ml/models?limit=5')).toEqual({
      host: 'example.com',
      url: '/api/ml/models?limit=5',
    });
    expect(fromAbsoluteForm('HTTPS://user@example.com:8443?x=1')).toEqual({
      host: 'example.com:8443',
      url: '/?x=1',
    });
  });
  it('leaves every other form alone', () => {
    for (const url of ['*', '/api', 'ftp://example.com/x', 'example.com:443', 'http:/x'])
      expect(fromAbsoluteForm(url)).toBeUndefined();
  });
});
