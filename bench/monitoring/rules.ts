import { AlertTracker } from '../../services/monitoring-service/src/services/alerting/alert-state.js';
import { LocalExprEvaluator } from '../../services/monitoring-service/src/services/alerting/expr-evaluator.js';
import {
  type LegacyRuleExpr,
  legacyExprToPromQL,
} from '../../services/monitoring-service/src/services/alerting/legacy-rules.js';
import {
  compileRule,
  type RuleSpec,
} from '../../services/monitoring-service/src/services/alerting/rule-model.js';
import { ingestExposition } from '../../services/monitoring-service/src/services/metrics/ingest.js';
import { QueryEngine } from '../../services/monitoring-service/src/services/metrics/query-engine.js';
import { SampleStore } from '../../services/monitoring-service/src/services/metrics/sample-store.js';
import { testRule } from '../../services/monitoring-service/test/helpers/test-rule.js';
import { syntheticExposition } from './synthetic.js';

/**
 * 1,000 rules of the kinds operators write, over `targets` services of `series` series each
 * with 21 scrapes (5 minutes) of history: per-service golden-signal thresholds (request rate,
 * error ratio, p99 from the histogram), SLO burn rates over two windows, and per-route /
 * per-series thresholds with rate() and plain values. Each is the PromQL the earlier rule shapes
 * convert to, evaluated by the built-in PromQL engine.
 */
function ruleSpecs(targets: number): Array<Partial<RuleSpec> & { id: string }> {
  const specs: Array<{ id: string; expr: LegacyRuleExpr; threshold: number }> = [];
  for (let i = 0; specs.length < 1000; i++) {
    // Every service gets the same pack of ten rules, as a team would write per service.
    const svc = `svc-${i % targets}`;
    const id = `rul_b${i}`;
    switch (Math.floor(i / targets) % 10) {
      case 0:
        specs.push({
          id,
          expr: { kind: 'signal', signal: 'request_rate', window: '5m', service: svc },
          threshold: 1,
        });
        break;
      case 1:
        specs.push({
          id,
          expr: { kind: 'signal', signal: 'error_ratio', window: '5m', service: svc },
          threshold: 0.05,
        });
        break;
      case 2:
        specs.push({
          id,
          expr: { kind: 'signal', signal: 'latency_p99', window: '5m', service: svc },
          threshold: 0.5,
        });
        break;
      case 3:
        specs.push({
          id,
          expr: { kind: 'burn_rate', objective: 0.999, longWindow: '5m', shortWindow: '1m', service: svc },
          threshold: 14.4,
        });
        break;
      case 4:
      case 5:
      case 6:
        specs.push({
          id,
          expr: {
            kind: 'series',
            selector: `http_requests_total{service="${svc}",route="/api/v1/items/${i % 7}",status_code="500"}`,
            function: 'rate',
            window: '1m',
          },
          threshold: 0.5,
        });
        break;
      default:
        specs.push({
          id,
          expr: {
            kind: 'series',
            selector: `app_gauge{service="${svc}",slot="${i % 50}"}`,
            function: 'value',
          },
          threshold: 500,
        });
    }
  }
  const budget = { eventLoopLagSeconds: 0.1, residentMemoryBytes: 1e9 };
  return specs.map((s) => ({ id: s.id, expr: legacyExprToPromQL(s.expr, '>', s.threshold, budget) }));
}

/** The bench's store and 1,000 compiled rules, with one evaluation cycle to time. */
export function setupRules(targets: number, series: number) {
  const store = new SampleStore({ capacity: 240, maxSeries: 200_000, retentionMs: 3_600_000 });
  const t0 = Date.UTC(2026, 0, 1);
  for (let round = 1; round <= 21; round++) {
    for (let t = 0; t < targets; t++) {
      const body = syntheticExposition(series, `svc-${t}`, round);
      ingestExposition(
        store,
        `t${t}`,
        { service: `svc-${t}`, instance: `10.0.0.${t}:8080` },
        body,
        t0 + round * 15_000,
        [['up', 1]],
      );
    }
  }
  const engine = new QueryEngine(store, { lookbackMs: 300_000 });
  const evaluator = new LocalExprEvaluator(engine);
  const compiled = ruleSpecs(targets).map((s) => compileRule(testRule(s)));
  const tracker = new AlertTracker({ resolvedRetentionMs: 900_000 });
  const at = t0 + 21 * 15_000;
  /** One evaluation cycle of every rule at `at + r`; returns its CPU milliseconds. */
  const cycle = (r: number): number => {
    // CPU time, not wall time: the bench machine is shared, and waiting for a core is not work.
    const start = process.cpuUsage();
    for (const c of compiled) tracker.apply(c, evaluator.evaluateSync(c, at + r), at + r);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  return { count: compiled.length, cycle, alerts: () => tracker.all().length };
}

/**
 * The median CPU time of 7 cycles after one untimed cycle: the service evaluates its rules every
 * interval for as long as it runs, so the steady cycle is the figure; the first one, which also
 * compiles the code it runs, is reported beside it.
 */
export function benchRules(targets: number, series: number) {
  const s = setupRules(targets, series);
  const first = s.cycle(0);
  const times: number[] = [];
  const runs = 7;
  for (let r = 1; r <= runs; r++) times.push(s.cycle(r));
  times.sort((a, b) => a - b);
  return { count: s.count, ms: times[Math.floor(runs / 2)]!, first, runs, alerts: s.alerts() };
}
