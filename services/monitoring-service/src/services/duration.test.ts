import { describe, expect, it } from 'vitest';
import { DurationError, formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1d', 86_400_000],
    ['0', 0],
  ])('parses %s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'm', '5', '5x', '1m1h', '1m1m', '-5m', '1.5m'])('rejects "%s"', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
  });
  it('formats back', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(250)).toBe('250ms');
  });

  it('says a duration past what milliseconds can count is too long, not that it is no duration', () => {
    expect(() => parseDuration('99999999999d')).toThrow(
      /"99999999999d" is a duration too long .* under 285,000y/,
    );
    expect(() => parseDuration('5x')).toThrow(/is not a duration/);
  });
});
