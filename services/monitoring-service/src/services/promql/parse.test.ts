import { describe, expect, it } from 'vitest';
import { PromQLError, parsePromQL, typeOf } from './parse.js';

const refusal = (q: string) => {
  try {
    parsePromQL(q);
  } catch (err) {
    if (err instanceof PromQLError) return err;
    throw err;
  }
  throw new Error(`"${q}" parsed`);
};

describe('parsePromQL', () => {
  it('builds the AST of a rule expression', () => {
    const e = parsePromQL(
      'sum by (service) (rate(http_requests_total{code=~"5..",job!="x"}[5m] offset 1m)) > bool 0.5',
    );
    expect(e).toMatchObject({
      kind: 'binary',
      op: '>',
      bool: true,
      rhs: { kind: 'number', value: 0.5 },
      lhs: {
        kind: 'aggregate',
        op: 'sum',
        grouping: ['service'],
        without: false,
        expr: {
          kind: 'call',
          fn: 'rate',
          args: [
            {
              kind: 'matrix',
              rangeMs: 300_000,
              selector: {
                offsetMs: 60_000,
                matchers: [
                  { name: '__name__', op: '=', value: 'http_requests_total' },
                  { name: 'code', op: '=~', value: '5..' },
                  { name: 'job', op: '!=', value: 'x' },
                ],
              },
            },
          ],
        },
      },
    });
    expect(typeOf(e)).toBe('instant vector');
  });

  it('reads vector matching, group modifiers and without', () => {
    expect(parsePromQL('a / on(x, y) group_left(z) b')).toMatchObject({
      matching: { card: 'many-to-one', on: true, labels: ['x', 'y'], include: ['z'] },
    });
    expect(parsePromQL('a - ignoring(x) group_right b')).toMatchObject({
      matching: { card: 'one-to-many', on: false, labels: ['x'], include: [] },
    });
    expect(parsePromQL('a and b')).toMatchObject({ matching: { card: 'many-to-many' } });
    expect(parsePromQL('sum without (instance) (up)')).toMatchObject({
      without: true,
      grouping: ['instance'],
    });
    expect(parsePromQL('topk(3, up)')).toMatchObject({ op: 'topk', param: { kind: 'number', value: 3 } });
  });

  it('decodes literals as Prometheus does', () => {
    expect(parsePromQL('-1.5e3')).toEqual({ kind: 'number', value: -1500 });
    expect(parsePromQL('0x10')).toEqual({ kind: 'number', value: 16 });
    expect(parsePromQL('Inf')).toEqual({ kind: 'number', value: Number.POSITIVE_INFINITY });
    expect(parsePromQL("up{a='x\\'y', b=`raw\\n`}")).toMatchObject({
      matchers: [{ value: 'up' }, { name: 'a', value: "x'y" }, { name: 'b', value: 'raw\\n' }],
    });
    expect(parsePromQL('{"__name__"="up", "odd.name"="1"}')).toMatchObject({
      matchers: [
        { name: '__name__', value: 'up' },
        { name: 'odd.name', value: '1' },
      ],
    });
  });

  it('refuses constructs it does not evaluate, naming them and the way out', () => {
    expect(refusal('predict_linear(up[5m], 60)').message).toBe(
      'PromQL function `predict_linear` is not supported by the built-in engine; set PROMETHEUS_URL to use Prometheus',
    );
    expect(refusal('label_replace(up, "a", "$1", "b", "(.*)")').message).toContain(
      'function `label_replace`',
    );
    expect(refusal('count_values("v", up)').message).toContain('aggregation `count_values`');
    expect(refusal('max_over_time(rate(x[5m])[1h:1m])').message).toContain('subqueries');
    expect(refusal('up @ 100').message).toContain('`@` modifier');
    expect(refusal('holt_winters(up[5m], 0.5, 0.5)').reason).toBe('unsupported');
    expect(refusal('nope(up)').message).toBe('unknown function with name "nope"');
    expect(typeOf(parsePromQL('up[5m]'))).toBe('range vector');
    for (const q of ['predict_linear(up[5m], 60)', 'up @ 100']) expect(refusal(q).reason).toBe('unsupported');
  });

  it('rejects malformed and ill-typed queries with the reason', () => {
    expect(refusal('rate(up)').message).toBe(
      'expected type range vector in call to function "rate", got instant vector',
    );
    expect(refusal('1 + ').message).toMatch(/unexpected end of input/);
    expect(refusal('1 > 2').message).toBe('comparisons between scalars must use BOOL modifier');
    expect(refusal('up + bool 1').message).toBe('bool modifier can only be used on comparison operators');
    expect(refusal('{job=~".*"}').message).toBe(
      'vector selector must contain at least one non-empty matcher',
    );
    expect(refusal('up{a=~"(x"}').message).toMatch(/invalid regular expression/);
    expect(refusal('1 and up').message).toContain('set operator "and" not allowed');
    expect(refusal('up and on(x) group_left b').message).toContain('no grouping allowed');
    expect(refusal('up / on(x) 2').message).toBe('vector matching only allowed between instant vectors');
    expect(refusal('sum(up[5m])').message).toContain('expected type instant vector in aggregation');
    expect(refusal('histogram_quantile(0.9)').message).toContain('expected 2 argument(s)');
    expect(refusal('"text"').reason).toBe('unsupported');
    expect(refusal('   ').message).toBe('empty query');
  });
});
