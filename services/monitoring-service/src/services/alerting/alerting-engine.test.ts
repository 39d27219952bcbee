import { describe, expect, it } from 'vitest';
import { testRule } from '../../../test/helpers/test-rule.js';
import { ingestExposition } from '../metrics/ingest.js';
import { QueryEngine } from '../metrics/query-engine.js';
import { SampleStore } from '../metrics/sample-store.js';
import { AlertTracker } from './alert-state.js';
import { AlertingEngine } from './alerting-engine.js';
import { defaultRules } from './default-rules.js';
import { LocalExprEvaluator } from './expr-evaluator.js';
import { NotificationGrouper } from './notification-grouper.js';
import { SilenceSet } from './silences.js';

const S = 1000;

function setup() {
  const store = new SampleStore({ capacity: 400, maxSeries: 10_000, retentionMs: 3_600_000 });
  const engine = new QueryEngine(store, { lookbackMs: 300_000 });
  const evaluator = new LocalExprEvaluator(engine);
  const silences = new SilenceSet();
  const alerting = new AlertingEngine(
    evaluator,
    new AlertTracker({ resolvedRetentionMs: 15 * 60 * S }),
    silences,
    new NotificationGrouper({
      groupBy: ['alertname', 'service'],
      groupWaitMs: 10 * S,
      groupIntervalMs: 60 * S,
      repeatIntervalMs: 3600 * S,
    }),
  );
  const rules = defaultRules({ sloObjective: 0.999 }).map((r) => testRule(r));
  alerting.setRules(rules, 0);
  const scrape = (t: number, up: boolean) =>
    ingestExposition(store, 'auth', { service: 'auth-service', instance: '127.0.0.1:8081' }, '', t, [
      ['up', up ? 1 : 0],
    ]);
  return { alerting, silences, scrape };
}

describe('AlertingEngine with the default rules', () => {
  it('takes ServiceDown through pending, firing, notified, silenced and resolved', async () => {
    const { alerting, silences, scrape } = setup();
    const states: string[] = [];
    const notices: string[] = [];
    const step = async (t: number, up: boolean) => {
      scrape(t, up);
      const r = await alerting.evaluate(t);
      expect(r.failures).toEqual([]);
      for (const x of r.transitions) states.push(`${t / S}s ${x.alert.labels['alertname']} ${x.to}`);
      for (const n of r.notifications) notices.push(`${t / S}s ${n.status} ${n.alerts.length}`);
    };
    for (let t = 0; t <= 30 * S; t += 15 * S) await step(t, true);
    for (let t = 45 * S; t <= 120 * S; t += 15 * S) await step(t, false);
    expect(states).toEqual(['45s ServiceDown pending', '75s ServiceDown firing']);
    expect(notices).toEqual(['90s firing 1']);
    const down = alerting.tracker.all()[0]!;
    expect(down.annotations['summary']).toBe('auth-service is down');
    silences.replace([
      {
        id: 'sil_1',
        matchers: [{ name: 'alertname', op: '=', value: 'ServiceDown' }],
        startsAt: 0,
        endsAt: 400 * S,
        createdBy: 'usr_1',
        comment: 'deploy',
        createdAt: 0,
      },
    ]);
    expect(alerting.notifiable(135 * S)).toEqual([]);
    for (let t = 135 * S; t <= 180 * S; t += 15 * S) await step(t, t >= 165 * S);
    expect(states.at(-1)).toBe('165s ServiceDown resolved');
    // Silenced while it resolved: no notice about it at all.
    expect(notices).toEqual(['90s firing 1']);
  });

  it('notifies the resolution when not silenced', async () => {
    const { alerting, scrape } = setup();
    const notices: string[] = [];
    for (let t = 0; t <= 400 * S; t += 15 * S) {
      scrape(t, !(t >= 30 * S && t < 200 * S));
      const r = await alerting.evaluate(t);
      for (const n of r.notifications) notices.push(`${n.status}`);
    }
    expect(notices).toEqual(['firing', 'resolved']);
  });

  it('leaves out a stored rule the built-in engine cannot run, naming it, and evaluates the others', async () => {
    const { alerting, scrape } = setup();
    const onlyPrometheus = testRule({ id: 'rul_predict', expr: 'predict_linear(up[5m], 60) < 0' });
    alerting.setRules([...defaultRules({ sloObjective: 0.999 }).map((r) => testRule(r)), onlyPrometheus], 0);
    expect(alerting.unevaluable).toEqual([
      { ruleId: 'rul_predict', error: expect.stringContaining('`predict_linear` is not supported') },
    ]);
    scrape(0, false);
    const r = await alerting.evaluate(0);
    expect(r.failures).toEqual([]);
    expect(r.transitions.map((t) => t.alert.labels['alertname'])).toEqual(['ServiceDown']);
  });
});
