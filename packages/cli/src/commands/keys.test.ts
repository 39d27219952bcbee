import type { ApiKey } from '@opsmesh/contracts';
import { describe, expect, it } from 'vitest';
import { type CliError, EXIT } from '../cli-error.js';
import { expiresInDays, pickKey } from './keys.js';

const NOW = Date.parse('2026-12-06T12:00:00Z');

function key(id: string, prefix: string, revoked = false): ApiKey {
  return {
    id,
    name: `key ${id}`,
    prefix,
    owner_id: 'usr_1',
    permissions: ['models:read'],
    created_at: '2026-12-01T00:00:00Z',
    expires_at: '2027-03-01T00:00:00Z',
    revoked_at: revoked ? '2026-12-02T00:00:00Z' : null,
    last_used_at: null,
  };
}

function failure(run: () => unknown): CliError {
  try {
    run();
  } catch (err) {
    return err as CliError;
  }
  throw new Error('expected a failure');
}

describe('expiresInDays', () => {
  it('takes days, weeks, a year and a date in whole days', () => {
    expect(expiresInDays('30d', NOW)).toBe(30);
    expect(expiresInDays('2w', NOW)).toBe(14);
    expect(expiresInDays('1y', NOW)).toBe(365);
    expect(expiresInDays('2026-12-08', NOW)).toBe(2);
    expect(expiresInDays('2026-12-07T18:00:00Z', NOW)).toBe(2);
  });

  it('names the forms it takes for anything else, and the range', () => {
    for (const bad of ['soon', '30', '3m', '', '2026-13-40']) {
      const err = failure(() => expiresInDays(bad, NOW));
      expect(err.exitCode).toBe(EXIT.usage);
      expect(err.message).toMatch(/--expires takes a duration .*30d.* or a date/);
    }
    expect(failure(() => expiresInDays('2y', NOW)).message).toMatch(/730 days; a key lasts 1 to 365 days/);
    expect(failure(() => expiresInDays('0d', NOW)).message).toMatch(/a key lasts 1 to 365 days/);
    expect(failure(() => expiresInDays('2026-12-01', NOW)).message).toMatch(/not in the future/);
  });
});

describe('pickKey', () => {
  const keys = [
    key('key_abc111', 'omk_Xy12abcd'),
    key('key_abc222', 'omk_Zz98efgh'),
    key('key_def333', 'omk_Xy12qqqq', true),
  ];

  it('finds a key by its id, the start of its id or prefix, or the whole key', () => {
    expect(pickKey(keys, 'key_abc222', NOW).id).toBe('key_abc222');
    expect(pickKey(keys, 'key_abc1', NOW).id).toBe('key_abc111');
    expect(pickKey(keys, 'omk_Zz', NOW).id).toBe('key_abc222');
    expect(pickKey(keys, 'omk_Zz98efghTHEREST0000', NOW).id).toBe('key_abc222');
    // A live key wins over a revoked one with the same start; the revoked one by its own id.
    expect(pickKey(keys, 'omk_Xy12', NOW).id).toBe('key_abc111');
    expect(pickKey(keys, 'key_def', NOW).id).toBe('key_def333');
  });

  it('says when nothing or several keys match, and what to give instead', () => {
    const none = failure(() => pickKey(keys, 'key_zzz', NOW));
    expect(none.exitCode).toBe(EXIT.notFound);
    expect(none.message).toMatch(/No API key of yours matches "key_zzz"; `opsmesh keys list`/);
    const several = failure(() => pickKey(keys, 'key_abc', NOW));
    expect(several.exitCode).toBe(EXIT.usage);
    expect(several.message).toMatch(
      /matches 2 API keys \(key_abc111 .*key_abc222.*\); give more of the id or prefix/,
    );
    expect(failure(() => pickKey(keys, '  ', NOW)).exitCode).toBe(EXIT.notFound);
  });
});
