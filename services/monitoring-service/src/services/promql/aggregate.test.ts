import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregate.js';
import type { AggregateOp } from './ast.js';
import type { Sample } from './values.js';

const samples: Sample[] = [
  { labels: { service: 'a', le: '0.1', code: '200' }, value: 3 },
  { labels: { service: 'a', le: '0.5', code: '200' }, value: Number.NaN },
  { labels: { service: 'b', le: '0.1', code: '500' }, value: 7 },
  { labels: { service: 'a', le: '0.1', code: '500' }, value: 1 },
  { labels: { le: '0.1', code: '200' }, value: 4 },
  { labels: { service: '', le: '0.1', code: '500' }, value: 6 },
];

function run(op: AggregateOp, grouping: string[], without: boolean, refill: boolean): Sample[] {
  const agg = new Aggregator(op, grouping, without, 0);
  // One object refilled for every sample, as a window pass hands them over.
  const cursor = { labels: {} as Sample['labels'], value: 0 };
  for (const s of samples) {
    if (!refill) agg.add(s);
    else {
      cursor.labels = s.labels;
      cursor.value = s.value;
      agg.add(cursor);
    }
  }
  return agg.result();
}

describe('Aggregator', () => {
  it('groups by several labels, a missing label and an empty one alike, in first-seen order', () => {
    expect(run('sum', ['service', 'le'], false, false)).toEqual([
      { labels: { service: 'a', le: '0.1' }, value: 4 },
      { labels: { service: 'a', le: '0.5' }, value: Number.NaN },
      { labels: { service: 'b', le: '0.1' }, value: 7 },
      { labels: { le: '0.1' }, value: 10 },
    ]);
  });

  it('folds samples in as they come: a refilled sample object gives the same result', () => {
    for (const op of ['sum', 'avg', 'min', 'max', 'count', 'group', 'stdvar', 'stddev'] as const) {
      const agg = new Aggregator(op, [], false, 0);
      expect(agg.streams).toBe(true);
      for (const [grouping, without] of [
        [['service'], false],
        [['service', 'le'], false],
        [['code'], true],
        [[], false],
      ] as const)
        expect(run(op, [...grouping], without, true)).toEqual(run(op, [...grouping], without, false));
    }
    expect(new Aggregator('topk', [], false, 1).streams).toBe(false);
  });

  it('takes min and max past a NaN first member, as Prometheus does', () => {
    const agg = new Aggregator('min', [], false, 0);
    for (const value of [Number.NaN, 5, 2]) agg.add({ labels: {}, value });
    expect(agg.result()).toEqual([{ labels: {}, value: 2 }]);
  });
});
