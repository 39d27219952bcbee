import { describe, expect, it } from 'vitest';
import type { TargetRecord } from '../../models/target-repository.js';
import { GatedEvaluator, StartGate } from './start-gate.js';

const WATCH = 1_000_000;
const target = (instance: string, over: Partial<TargetRecord> = {}): TargetRecord => ({
  url: `http://${instance}`,
  service: 'api',
  instance,
  firstSeenAt: WATCH,
  readyAt: null,
  ...over,
});

describe('StartGate', () => {
  const gate = new StartGate(60_000);

  it('holds a target never ready in this watch until its grace has passed', () => {
    const t = target('a:1', { readyAt: WATCH - 5000 });
    expect(gate.isHeld(t, WATCH, WATCH + 59_999)).toBe(true);
    expect(gate.isHeld(t, WATCH, WATCH + 60_000)).toBe(false);
  });

  it('releases a target as soon as it was ready in this watch', () => {
    expect(gate.isHeld(target('a:1', { readyAt: WATCH + 1 }), WATCH, WATCH + 2)).toBe(false);
  });

  it('counts the grace of a target first seen later from when it was seen', () => {
    const late = target('a:1', { firstSeenAt: WATCH + 600_000 });
    expect(gate.isHeld(late, WATCH, WATCH + 630_000)).toBe(true);
    expect(gate.isHeld(late, WATCH, WATCH + 660_000)).toBe(false);
  });

  it('holds an instance result by its instance, a service result while every instance is held', () => {
    gate.update(
      { startedAt: WATCH, targets: [target('a:1'), target('a:2', { readyAt: WATCH + 1 })] },
      WATCH + 10,
    );
    expect(gate.allows({ service: 'api', instance: 'a:1' })).toBe(false);
    expect(gate.allows({ service: 'api', instance: 'a:2' })).toBe(true);
    expect(gate.allows({ service: 'api' })).toBe(true);
    expect(gate.allows({ service: 'other', instance: 'a:1' })).toBe(true);
    expect(gate.allows({ alertname: 'x' })).toBe(true);
    gate.update({ startedAt: WATCH, targets: [target('a:1'), target('a:2')] }, WATCH + 10);
    expect(gate.allows({ service: 'api' })).toBe(false);
    expect(gate.heldTargets()).toEqual(['api a:1', 'api a:2']);
    gate.update(null, WATCH);
    expect(gate.allows({ service: 'api', instance: 'a:1' })).toBe(true);
  });
});

describe('GatedEvaluator', () => {
  it('leaves out held targets and loads the gate once per evaluation time', async () => {
    let loads = 0;
    const inner = {
      evaluate: async () => [
        { labels: { service: 'api', instance: 'a:1' }, value: 0 },
        { labels: { service: 'api', instance: 'a:2' }, value: 0 },
      ],
    };
    const evaluator = new GatedEvaluator(inner, new StartGate(60_000), async () => {
      loads++;
      return { startedAt: WATCH, targets: [target('a:1'), target('a:2', { readyAt: WATCH + 1 })] };
    });
    // biome-ignore lint/suspicious/noExplicitAny: the expression is passed through untouched
    const expr = {} as any;
    const first = await evaluator.evaluate(expr, WATCH + 10);
    await evaluator.evaluate(expr, WATCH + 10);
    expect(first.map((r) => r.labels['instance'])).toEqual(['a:2']);
    expect(loads).toBe(1);
    // Past the grace, the never-ready instance is alerted on.
    const later = await evaluator.evaluate(expr, WATCH + 60_000);
    expect(later.map((r) => r.labels['instance'])).toEqual(['a:1', 'a:2']);
    expect(loads).toBe(2);
  });
});

describe('StartGate with alerts firing already', () => {
  it('keeps alerting on a target whose outage was alerted on before, e.g. across a restart', () => {
    const gate = new StartGate(60_000);
    gate.update({ startedAt: WATCH, targets: [target('a:1'), target('a:2')] }, WATCH + 10, [
      { alertname: 'ServiceDown', service: 'api', instance: 'a:1' },
    ]);
    expect(gate.allows({ service: 'api', instance: 'a:1' })).toBe(true);
    expect(gate.allows({ service: 'api', instance: 'a:2' })).toBe(false);
  });
});
