import { describe, expect, it } from 'vitest';
import { points, storeWith } from '../../../test/helpers/series-fixture.js';
import { formatSampleValue, goFloat } from './format.js';
import { PromQLQueries, parseTime } from './query-service.js';

const { query } = storeWith([
  { labels: { __name__: 'a', x: '1' }, points: points(0, 60_000, 15_000, (i) => i) },
]);

describe('PromQLQueries', () => {
  it('refuses a range query that would hold the event loop past its budget', () => {
    const slow = new PromQLQueries(query, () => 60_000, -1);
    expect(slow.range('a', '0', '60', '15').body).toEqual({
      status: 'error',
      errorType: 'execution',
      error: expect.stringMatching(/would take longer than/),
    });
    expect(new PromQLQueries(query, () => 60_000).range('a', '0', '60', '15').status).toBe(200);
  });

  it('reads times as Prometheus does', () => {
    expect(parseTime('1700000000.5')).toBe(1_700_000_000_500);
    expect(parseTime('2026-01-01T00:00:00Z')).toBe(Date.UTC(2026, 0, 1));
    expect(parseTime('tomorrow')).toBeUndefined();
    expect(parseTime('1e400')).toBeUndefined();
  });
});

describe('value formats', () => {
  it('writes API values without exponents and template values as Go %v', () => {
    expect(formatSampleValue(1e-7)).toBe('0.0000001');
    expect(formatSampleValue(1.5e21)).toBe('1500000000000000000000');
    expect(formatSampleValue(Number.NEGATIVE_INFINITY)).toBe('-Inf');
    expect(formatSampleValue(Number.NaN)).toBe('NaN');
    expect(goFloat(0.00001)).toBe('1e-05');
    expect(goFloat(0.0001)).toBe('0.0001');
    expect(goFloat(1e21)).toBe('1e+21');
    expect(goFloat(123456)).toBe('123456');
    expect(goFloat(1000)).toBe('1000');
  });
});
