import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/helpers/test-rule.js';
import { defaultRules } from './default-rules.js';
import { compileRule, RuleValidationError, ruleThreshold } from './rule-model.js';

function problems(spec: Parameters<typeof testRule>[0], prometheus = false): string[] {
  try {
    compileRule(testRule(spec), { prometheus });
    return [];
  } catch (err) {
    if (!(err instanceof RuleValidationError)) throw err;
    return err.problems.map((p) => `${p.field}: ${p.message}`);
  }
}

describe('compileRule', () => {
  it('compiles every default rule with the built-in engine', () => {
    for (const r of defaultRules({ sloObjective: 0.999 })) {
      expect(compileRule(testRule({ ...r })).ast).toBeDefined();
    }
  });

  it.each<[string, Parameters<typeof testRule>[0], RegExp]>([
    ['a bad name', { name: 'bad name' }, /\/name/],
    ['a bad for', { for: '5 minutes' }, /\/for: "5 minutes" is not a duration/],
    ['a bad keep_firing_for', { keepFiringFor: 'long' }, /\/keepFiringFor: "long" is not a duration/],
    ['malformed PromQL', { expr: 'up{' }, /\/expr: unexpected/],
    ['a bad regex', { expr: 'up{a=~"("} > 1' }, /\/expr: invalid regular expression/],
    ['a rate of an instant vector', { expr: 'rate(up) > 1' }, /\/expr: expected type range vector/],
    ['a range vector result', { expr: 'up[5m]' }, /\/expr: must evaluate to an instant vector/],
    [
      'a function the built-in engine does not run',
      { expr: 'predict_linear(disk_free[1h], 3600) < 0' },
      /\/expr: PromQL function `predict_linear` is not supported by the built-in engine; set PROMETHEUS_URL/,
    ],
    [
      'a bad template',
      { annotations: { summary: '{{ $nope }}' } },
      /\/annotations\/summary: unknown reference/,
    ],
    ['a bad label name', { labels: { 'a-b': 'x' } }, /\/labels\/a-b/],
  ])('rejects %s naming the field', (_what, spec, message) => {
    expect(problems(spec).join('\n')).toMatch(message);
  });

  it('accepts what only Prometheus evaluates when Prometheus evaluates the rules, but not bad syntax', () => {
    expect(problems({ expr: 'predict_linear(disk_free[1h], 3600) < 0' }, true)).toEqual([]);
    expect(problems({ expr: 'up{' }, true)).toHaveLength(1);
  });

  it('reports every problem at once', () => {
    expect(problems({ name: '1x', for: 'soon', expr: 'rate(' })).toHaveLength(3);
  });
});

describe('ruleThreshold', () => {
  it('reads the comparison an expression ends with', () => {
    expect(ruleThreshold('up == 0')).toEqual({ op: '==', value: 0 });
    expect(ruleThreshold('a / b > 0.05')).toEqual({ op: '>', value: 0.05 });
    expect(ruleThreshold('a / 0.001 > 14.4 and b / 0.001 > 14.4')).toEqual({ op: '>', value: 14.4 });
    expect(ruleThreshold('a > bool 1')).toBeUndefined();
    expect(ruleThreshold('a > b')).toBeUndefined();
    expect(ruleThreshold('absent(up)')).toBeUndefined();
  });
});
