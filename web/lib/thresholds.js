// What "bad" means for each golden signal, read from the alert rules the monitoring service
// holds: a rule annotated `signal: latency_p99` whose PromQL ends `> 1` colours values past 1 with
// its severity; an availability objective (annotation `objective` of the burn-rate rules) colours
// availability below it.
import { SIGNALS } from './format.js';

const RANK = { critical: 2, warning: 1, info: 0 };
const COMPARE = {
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/**
 * Thresholds per signal from rules (`GET /api/monitoring/rules`).
 *
 * @example
 * thresholdsFrom(rules).latency_p99 // [{ op: '>', value: 1, severity: 'warning', rule: 'HighLatencyP99' }]
 */
export function thresholdsFrom(rules) {
  const out = {};
  const add = (signal, t) => {
    out[signal] ??= [];
    out[signal].push(t);
  };
  for (const rule of rules) {
    if (!rule.enabled) continue;
    // Rules are PromQL: the server reads the comparison the expression ends with (`threshold`);
    // the annotation `signal` names the golden signal it watches, `labels.service` one service.
    const { annotations = {}, labels = {} } = rule;
    if (annotations.signal && rule.threshold) {
      add(annotations.signal, {
        op: rule.threshold.op,
        value: rule.threshold.value,
        severity: rule.severity,
        rule: rule.name,
        service: labels.service,
      });
    }
    const objective = Number(annotations.objective);
    if (annotations.objective && objective > 0 && objective < 1) {
      // Below the objective, the error budget is being spent faster than it accrues.
      add('availability', {
        op: '<',
        value: objective,
        severity: 'critical',
        rule: `SLO ${(objective * 100).toPrecision(4).replace(/\.?0+$/, '')}%`,
        service: labels.service,
      });
    }
  }
  for (const list of Object.values(out)) {
    const seen = new Set();
    list.splice(
      0,
      list.length,
      ...list.filter((t) => {
        const key = `${t.op}${t.value}${t.service ?? ''}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    );
  }
  return out;
}

/** The worst state a value is in: 'critical', 'warning', 'info', 'ok', or 'none' without data. */
export function stateOf(thresholds, signal, service, value) {
  if (value === null || value === undefined || Number.isNaN(value)) return 'none';
  let worst = 'ok';
  for (const t of thresholds[signal] ?? []) {
    if (t.service && t.service !== service) continue;
    if (COMPARE[t.op]?.(value, t.value) && (worst === 'ok' || RANK[t.severity] > RANK[worst]))
      worst = t.severity;
  }
  return worst;
}

/** The thresholds that apply to a service's signal, in words: "warning above 1 s (HighLatencyP99)". */
export function describe(thresholds, signal, service) {
  const format = SIGNALS[signal]?.format ?? String;
  const words = {
    '>': 'above',
    '>=': 'at or above',
    '<': 'below',
    '<=': 'at or below',
    '==': 'at',
    '!=': 'not at',
  };
  return (thresholds[signal] ?? [])
    .filter((t) => !t.service || t.service === service)
    .map((t) => `${t.severity} ${words[t.op] ?? t.op} ${format(t.value)} (${t.rule})`);
}
