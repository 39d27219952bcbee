import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/helpers/test-rule.js';
import { AlertTracker } from './alert-state.js';
import { compileRule } from './rule-model.js';

const rule = compileRule(testRule({ for: '1m', labels: { team: 'ops' } }));
const high = [{ labels: { service: 'api' }, value: 5 }];
// The expression returns the alerting samples only: no sample, no alert.
const low: typeof high = [];

describe('AlertTracker', () => {
  it('goes inactive → pending → firing → resolved with the clock', () => {
    const t = new AlertTracker({ resolvedRetentionMs: 15 * 60_000 });
    expect(t.apply(rule, low, 0)).toEqual([]);
    const [pending] = t.apply(rule, high, 10_000);
    expect(pending!.to).toBe('pending');
    expect(pending!.alert.labels).toEqual({
      service: 'api',
      team: 'ops',
      severity: 'warning',
      alertname: 'TestAlert',
    });
    expect(pending!.alert.annotations).toEqual({ summary: 'api at 5' });
    expect(pending!.alert.labels['__name__']).toBeUndefined();
    expect(t.apply(rule, high, 69_999)).toEqual([]);
    const [firing] = t.apply(rule, high, 70_000);
    expect(firing).toMatchObject({
      to: 'firing',
      alert: { state: 'firing', activeAt: 10_000, firedAt: 70_000 },
    });
    expect(t.apply(rule, high, 85_000)).toEqual([]);
    const [resolved] = t.apply(rule, low, 100_000);
    expect(resolved).toMatchObject({ to: 'resolved', alert: { state: 'resolved', resolvedAt: 100_000 } });
    expect(t.all()).toHaveLength(1);
    expect(t.sweep(100_000 + 15 * 60_000)).toHaveLength(1);
    expect(t.all()).toHaveLength(0);
  });

  it('drops a pending alert that clears before `for` elapsed', () => {
    const t = new AlertTracker({ resolvedRetentionMs: 60_000 });
    t.apply(rule, high, 0);
    const [inactive] = t.apply(rule, low, 30_000);
    expect(inactive!.to).toBe('inactive');
    expect(t.all()).toEqual([]);
  });

  it('fires at once with for: 0s and re-fires as a new alert after resolving', () => {
    const now = compileRule(testRule({ for: '0s' }));
    const t = new AlertTracker({ resolvedRetentionMs: 60_000 });
    expect(t.apply(now, high, 0).map((x) => x.to)).toEqual(['pending', 'firing']);
    expect(t.apply(now, low, 1000).map((x) => x.to)).toEqual(['resolved']);
    expect(t.apply(now, high, 2000).map((x) => x.to)).toEqual(['pending', 'firing']);
    expect(t.all()[0]!.activeAt).toBe(2000);
  });

  it('updates value and annotations on every evaluation', () => {
    const t = new AlertTracker({ resolvedRetentionMs: 60_000 });
    t.apply(rule, high, 0);
    t.apply(rule, [{ labels: { service: 'api' }, value: 9 }], 15_000);
    expect(t.all()[0]).toMatchObject({ value: 9, annotations: { summary: 'api at 9' } });
  });

  it('keeps firing alerts loaded after a restart without a new transition', () => {
    const first = new AlertTracker({ resolvedRetentionMs: 60_000 });
    first.apply(rule, high, 0);
    first.apply(rule, high, 60_000);
    const saved = first.all().map((a) => ({ ...a }));
    const second = new AlertTracker({ resolvedRetentionMs: 60_000 });
    second.load(saved);
    expect(second.apply(rule, high, 75_000)).toEqual([]);
    expect(second.all()[0]!.state).toBe('firing');
  });

  it('resolves firing alerts of a dropped rule and forgets pending ones', () => {
    const t = new AlertTracker({ resolvedRetentionMs: 60_000 });
    t.apply(rule, [...high, { labels: { service: 'b' }, value: 3 }], 0);
    t.apply(rule, high, 60_000);
    t.apply(rule, [...high, { labels: { service: 'b' }, value: 3 }], 61_000);
    expect(
      t
        .dropRule('rul_test', 62_000)
        .map((x) => x.to)
        .sort(),
    ).toEqual(['inactive', 'resolved']);
  });

  it('keeps a firing alert firing for keep_firing_for after its condition cleared', () => {
    const held = compileRule(testRule({ for: '0s', keepFiringFor: '1m' }));
    const t = new AlertTracker({ resolvedRetentionMs: 60_000 });
    t.apply(held, high, 0);
    expect(t.apply(held, low, 15_000)).toEqual([]);
    expect(t.all()[0]).toMatchObject({ state: 'firing', keepFiringSince: 15_000 });
    // Back within the window: the hold starts over the next time it clears.
    expect(t.apply(held, high, 30_000)).toEqual([]);
    expect(t.apply(held, low, 45_000)).toEqual([]);
    expect(t.apply(held, low, 104_999)).toEqual([]);
    expect(t.apply(held, low, 105_000).map((x) => x.to)).toEqual(['resolved']);
  });

  it('templates rule labels and annotations from the series labels and the value, as Prometheus does', () => {
    const templated = compileRule(
      testRule({
        for: '0s',
        labels: { team: 'team-{{ $labels.service }}' },
        annotations: { summary: '{{ $labels.service }} at {{ $value }}', tiny: '{{ $value }}' },
      }),
    );
    const t = new AlertTracker({ resolvedRetentionMs: 60_000 });
    t.apply(templated, [{ labels: { __name__: 'm', service: 'api' }, value: 0.00001 }], 0);
    expect(t.all()[0]).toMatchObject({
      labels: { service: 'api', team: 'team-api', alertname: 'TestAlert' },
      annotations: { summary: 'api at 1e-05', tiny: '1e-05' },
    });
  });
});
