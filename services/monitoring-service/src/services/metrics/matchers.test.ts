import { describe, expect, it } from 'vitest';
import { compileMatcher, MatcherError, parseMatcher, parseSelector } from './matchers.js';

describe('matchers', () => {
  it('parses the four operators', () => {
    expect(parseMatcher('a="b"')).toEqual({ name: 'a', op: '=', value: 'b' });
    expect(parseMatcher('a != "b"')).toEqual({ name: 'a', op: '!=', value: 'b' });
    expect(parseMatcher('a=~"5.."')).toEqual({ name: 'a', op: '=~', value: '5..' });
    expect(parseMatcher('a!~x')).toEqual({ name: 'a', op: '!~', value: 'x' });
  });
  it('anchors regexes at both ends', () => {
    const m = compileMatcher({ name: 'a', op: '=~', value: '5..' });
    expect(m.test('500')).toBe(true);
    expect(m.test('1500')).toBe(false);
  });
  it('matches pathological regexes in linear time (RE2, not backtracking)', () => {
    const value = `${'a'.repeat(50_000)}!`;
    for (const text of ['{__name__=~"(.*)*Z"}', 'm{a=~"(a+)+b"}', 'm{a!~"(a|aa)*c"}']) {
      const [m] = parseSelector(text).filter((x) => x.op !== '=');
      const started = performance.now();
      expect(compileMatcher(m!).test(value)).toBe(m!.op === '!~');
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });
  it('refuses syntax RE2 does not have, naming the matcher', () => {
    expect(() => parseMatcher('a=~"(x)\\\\1"')).toThrow(/matcher a=~.*backreferences/);
    expect(() => parseMatcher('a!~"x(?=y)"')).toThrow(/matcher a!~.*lookahead/);
  });
  it('parses selectors with quoted commas and braces', () => {
    expect(parseSelector('m{a="x,}",b!="y"}')).toEqual([
      { name: '__name__', op: '=', value: 'm' },
      { name: 'a', op: '=', value: 'x,}' },
      { name: 'b', op: '!=', value: 'y' },
    ]);
  });
  it.each([
    ['a bad regex', 'm{a=~"("}', /invalid regular expression/],
    ['no operator', 'm{a}', /needs one of/],
    ['a bad label name', 'm{1a="x"}', /must start with a label name/],
    ['an unterminated value', 'm{a="x}', /unterminated/],
    ['a selector matching everything', '{a=~".*"}', /does not match empty/],
    ['garbage after the name', 'm x', /must be metric\{matchers\}/],
    ['an empty selector', '  ', /empty selector/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseSelector(text)).toThrow(MatcherError);
    expect(() => parseSelector(text)).toThrow(message);
  });
});
