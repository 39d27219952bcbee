import { describe, expect, it } from 'vitest';
import { ago, bytes, percent, rate, seconds, sig, span } from './format.js';

describe('format', () => {
  it('keeps four significant digits and no float noise', () => {
    expect(sig(113.13244995369912)).toBe('113.1');
    expect(sig(0.30000000000000004)).toBe('0.3');
    expect(sig(123456.7)).toBe('123,457');
    expect(sig(null)).toBe('–');
  });

  it('shows durations without cutting them', () => {
    expect(seconds(4.8)).toBe('4.8 s');
    expect(seconds(0.0123)).toBe('12.3 ms');
    expect(seconds(0.0000042)).toBe('4.2 µs');
    expect(seconds(3725)).toBe('1h 2m');
    expect(span(45_000)).toBe('45s');
    expect(span(90 * 60_000)).toBe('1h 30m');
  });

  it('shows ratios, rates, sizes and ages', () => {
    expect(percent(0.6)).toBe('60%');
    expect(percent(0.99912)).toBe('99.91%');
    expect(percent(1)).toBe('100%');
    expect(rate(12.3456)).toBe('12.3/s');
    expect(bytes(535)).toBe('535 B');
    expect(bytes(1_572_864)).toBe('1.5 MB');
    expect(ago('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:03:10Z'))).toBe('3m 10s ago');
    expect(ago('2026-01-01T01:00:00Z', Date.parse('2026-01-01T00:40:00Z'))).toBe('in 20m');
  });
});
