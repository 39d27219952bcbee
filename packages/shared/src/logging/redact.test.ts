import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, urlForDisplay } from './redact.js';

describe('redactSecrets', () => {
  it('hides secret fields at any depth, in arrays too, without touching the original', () => {
    const input = {
      email: 'a@b',
      body: { password: 'p1', nested: [{ client_secret: 's1', name: 'n' }] },
      headers: { authorization: 'Bearer t', 'x-api-key': 'omk_1', accept: '*/*' },
      refresh_token: 'r1',
    };
    const out = redactSecrets(input);
    expect(out).toEqual({
      email: 'a@b',
      body: { password: REDACTED, nested: [{ client_secret: REDACTED, name: 'n' }] },
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, accept: '*/*' },
      refresh_token: REDACTED,
    });
    expect(input.body.password).toBe('p1');
  });

  it('returns the same object when there is nothing to hide, and leaves errors to their serializer', () => {
    const line = { method: 'GET', url: '/x', statusCode: 200, nested: { a: [1, 2] } };
    expect(redactSecrets(line)).toBe(line);
    const err = Object.assign(new Error('x'), { token: 't' });
    expect(redactSecrets({ err }).err).toBe(err);
  });
});

describe('urlForDisplay', () => {
  it('keeps scheme, host and path, and drops the user information and query that may hold a secret', () => {
    expect(urlForDisplay('https://user:s3cret@collector.example:4318/v1/traces?api_key=k3y#x')).toBe(
      'https://collector.example:4318/v1/traces',
    );
    expect(urlForDisplay('http://127.0.0.1:8083/v1/traces')).toBe('http://127.0.0.1:8083/v1/traces');
    expect(urlForDisplay('not a url')).not.toContain('not a url');
  });
});
