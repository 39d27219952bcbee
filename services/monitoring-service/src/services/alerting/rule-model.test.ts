import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/helpers/test-rule.js';
import { defaultRules } from './default-rules.js';
import { compileRule, type RuleExpr, RuleValidationError } from './rule-model.js';

function problems(spec: Parameters<typeof testRule>[0]): string[] {
  try {
    compileRule(testRule(spec));
    return [];
  } catch (err) {
    if (!(err instanceof RuleValidationError)) throw err;
    return err.problems.map((p) => `${p.field}: ${p.message}`);
  }
}

describe('compileRule', () => {
  it('compiles every default rule', () => {
    for (const r of defaultRules({ sloObjective: 0.999 })) {
      expect(() => compileRule(testRule({ ...r }))).not.toThrow();
    }
  });

  it.each<[string, Parameters<typeof testRule>[0], RegExp]>([
    ['a bad name', { name: 'bad name' }, /\/name/],
    ['a bad for', { for: '5 minutes' }, /\/for: "5 minutes" is not a duration/],
    [
      'an unknown signal',
      { expr: { kind: 'signal', signal: 'latency', window: '5m' } },
      /\/expr\/signal: unknown signal/,
    ],
    [
      'a bad selector',
      { expr: { kind: 'series', selector: 'up{a=~"("}', function: 'value' } },
      /\/expr\/selector: invalid regular/,
    ],
    [
      'a rate without window',
      { expr: { kind: 'series', selector: 'up', function: 'rate' } },
      /\/expr\/window: rate needs a window/,
    ],
    [
      'an objective of 1',
      { expr: { kind: 'burn_rate', objective: 1, longWindow: '1h', shortWindow: '5m' } },
      /\/expr\/objective/,
    ],
    [
      'windows in the wrong order',
      { expr: { kind: 'burn_rate', objective: 0.99, longWindow: '5m', shortWindow: '1h' } },
      /\/expr\/shortWindow: must be shorter/,
    ],
    [
      'a bad template',
      { annotations: { summary: '{{ $nope }}' } },
      /\/annotations\/summary: unknown reference/,
    ],
    ['a bad label name', { labels: { 'a-b': 'x' } }, /\/labels\/a-b/],
    ['an unknown kind', { expr: { kind: 'promql' } as unknown as RuleExpr }, /\/expr\/kind/],
  ])('rejects %s naming the field', (_what, spec, message) => {
    expect(problems(spec).join('\n')).toMatch(message);
  });

  it('reports every problem at once', () => {
    expect(problems({ name: '1x', for: 'soon', threshold: Number.NaN })).toHaveLength(3);
  });
});
