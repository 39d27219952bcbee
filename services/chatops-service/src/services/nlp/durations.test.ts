import { describe, expect, it } from 'vitest';
import { findDurations, formatDuration, parseDuration } from './durations.js';

describe('durations', () => {
  it.each([
    ['for two hours', '2h'],
    ['90 minutes', '1h30m'],
    ['2 days', '2d'],
    ['a day', '1d'],
    ['24 hours', '1d'],
    ['half an hour', '30m'],
    ['an hour and a half', '1h30m'],
    ['two and a half hours', '2h30m'],
    ['for 3 and a half days', '3d12h'],
    ['1.5h', '1h30m'],
    ['silence it for 2.5hrs', '2h30m'],
    ['0.5d', '12h'],
    ['1 hour 30 minutes', '1h30m'],
    ['2 hours and 15 minutes', '2h15m'],
    ['1h30m', '1h30m'],
    ['30m', '30m'],
    ['15 mins', '15m'],
    ['the last hour', '1h'],
    ['a week', '7d'],
    ['45s', '45s'],
    ['over the last couple of hours', '2h'],
    ['last couple hours', '2h'],
    ['for a couple of days', '2d'],
    ['in the last hour and a half', '1h30m'],
  ])('%s → %s', (text, expected) => {
    expect(findDurations(text).map((d) => d.value)).toEqual([expected]);
  });

  it('reports offsets so the text can be masked', () => {
    const [d] = findDurations('mute it for thirty minutes please');
    expect(d).toMatchObject({ start: 12, end: 26, value: '30m' });
  });

  it('ignores numbers without a unit and versions', () => {
    expect(findDurations('promote v3 to production with 5.1 3.5')).toEqual([]);
  });

  it('formats and parses whole strings', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
    expect(parseDuration('two hours')).toBe('2h');
    expect(parseDuration('two hours later')).toBeUndefined();
  });
});
