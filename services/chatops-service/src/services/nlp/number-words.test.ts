import { describe, expect, it } from 'vitest';
import { findNumberWords, wordsValue } from './number-words.js';

describe('number words', () => {
  it('reads numbers below a thousand written in words', () => {
    expect(wordsValue('twelve')).toBe(12);
    expect(wordsValue('forty-two')).toBe(42);
    expect(wordsValue('twenty one')).toBe(21);
    expect(wordsValue('a hundred and five')).toBe(105);
    expect(wordsValue('three hundred')).toBe(300);
  });

  it('refuses runs that are not one number', () => {
    expect(wordsValue('two three')).toBeUndefined();
    expect(wordsValue('a')).toBeUndefined();
    expect(wordsValue('twelve two')).toBeUndefined();
    expect(wordsValue('and')).toBeUndefined();
  });

  it('finds numbers with their place, leaving the article of a sentence out', () => {
    expect(findNumberWords('ack alert number twenty-one')).toEqual([{ start: 17, end: 27, value: 21 }]);
    expect(findNumberWords('silence a two hour thing')).toEqual([{ start: 10, end: 13, value: 2 }]);
    expect(findNumberWords('mute it for a while')).toEqual([]);
  });

  it('reads two numbers joined by "and" each by itself', () => {
    expect(findNumberWords('ack eleven and twelve')).toEqual([
      { start: 4, end: 10, value: 11 },
      { start: 15, end: 21, value: 12 },
    ]);
    expect(findNumberWords('one hundred and five')).toEqual([{ start: 0, end: 20, value: 105 }]);
  });

  it('reads a long run of number-like words in time linear in its length', () => {
    const started = performance.now();
    expect(findNumberWords('a-'.repeat(20_000))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
