import { describe, expect, it } from 'vitest';
import { keyState } from './api-keys.js';

describe('keyState', () => {
  const now = Date.parse('2026-12-06T12:00:00Z');
  it('is revoked once revoked, else expired from its expiry on, else live', () => {
    expect(keyState({ revoked_at: '2026-12-01T00:00:00Z', expires_at: '2027-01-01T00:00:00Z' }, now)).toBe(
      'revoked',
    );
    expect(keyState({ revoked_at: null, expires_at: '2026-12-06T12:00:00Z' }, now)).toBe('expired');
    expect(keyState({ revoked_at: null, expires_at: '2026-12-06T12:00:01Z' }, now)).toBe('live');
  });
});
