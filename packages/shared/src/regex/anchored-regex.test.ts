import { describe, expect, it } from 'vitest';
import { compileAnchoredRegex, RegexSyntaxError } from './anchored-regex.js';

describe('compileAnchoredRegex', () => {
  it('anchors at both ends, as Prometheus label matchers do', () => {
    const re = compileAnchoredRegex('5..');
    expect(re.test('503')).toBe(true);
    expect(re.test('1503')).toBe(false);
    expect(re.test('5030')).toBe(false);
    expect(compileAnchoredRegex('a|b').test('ab')).toBe(false);
  });

  it('answers literals and literal alternations like the engine would', () => {
    for (const [pattern, yes, no] of [
      ['api', ['api'], ['ap', 'apix', '']],
      ['', [''], ['a']],
      ['GET|POST', ['GET', 'POST'], ['GETPOST', 'PUT']],
      ['(?:a|b|)', ['a', 'b', ''], ['ab']],
      ['(x|y)', ['x', 'y'], ['(x']],
      ['.*', ['', 'anything\nat all'], []],
      ['.+', ['x'], ['']],
      ['auth-.*', ['auth-', 'auth-service'], ['xauth-']],
    ] as const) {
      const re = compileAnchoredRegex(pattern);
      for (const v of yes) expect(re.test(v), `${pattern} ~ ${v}`).toBe(true);
      for (const v of no) expect(re.test(v), `${pattern} !~ ${v}`).toBe(false);
    }
  });

  it('gives the same answer from memory as from the engine', () => {
    const re = compileAnchoredRegex('[a-c]+[0-9]?');
    const values = ['abc1', 'abcd', 'b', '', 'a'.repeat(300)];
    const first = values.map((v) => re.test(v));
    expect(values.map((v) => re.test(v))).toEqual(first);
    expect(first).toEqual([true, false, true, false, true]);
  });

  it('matches pathological patterns in linear time', () => {
    const long = 'a'.repeat(100_000);
    const started = performance.now();
    for (const pattern of ['(.*)*Z', '(a+)+b', '(a|aa)+$x', '(x+x+)+y', '(\\w+\\s?)*!']) {
      expect(compileAnchoredRegex(pattern).test(long)).toBe(false);
    }
    // A backtracking engine takes longer than the age of the universe on these; RE2 is linear.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each([
    ['(a)\\1', /backreferences/],
    ['a(?=b)', /lookaheads/],
    ['(?<!a)b', /lookaheads and lookbehinds|invalid/],
    ['(', /missing closing \)/],
    ['a{1001}', /repeat count/],
    ['[z-a]', /character class range/],
  ])('refuses %s with a reason', (pattern, reason) => {
    let caught: unknown;
    try {
      compileAnchoredRegex(pattern);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RegexSyntaxError);
    expect((caught as RegexSyntaxError).message).toContain(pattern);
    expect((caught as RegexSyntaxError).message).toMatch(reason);
  });

  it('refuses patterns past the length limit', () => {
    expect(() => compileAnchoredRegex('a'.repeat(50), { maxLength: 10 })).toThrow(/at most 10/);
  });

  it('keeps . off newlines when asked (Alertmanager semantics)', () => {
    expect(compileAnchoredRegex('a.b', { dotAll: false }).test('a\nb')).toBe(false);
    expect(compileAnchoredRegex('a.b').test('a\nb')).toBe(true);
  });
});
