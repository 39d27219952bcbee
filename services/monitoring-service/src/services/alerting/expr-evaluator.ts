import { emptyLabels } from '../metrics/labels.js';
import type { VectorSample } from '../metrics/query-functions.js';
import { type PrometheusClient, promValue } from '../prometheus/prometheus-client.js';
import { PromQLEvaluator, type SeriesReader } from '../promql/evaluate.js';
import type { CompiledRule } from './rule-model.js';

/** Evaluates a rule's expression at a time: every sample returned is an alert. */
export interface ExprEvaluator {
  evaluate(rule: CompiledRule, atMs: number): Promise<VectorSample[]>;
}

/** Rule expressions evaluated by the built-in PromQL engine over the in-process store. */
export class LocalExprEvaluator implements ExprEvaluator {
  private readonly engine: PromQLEvaluator;

  constructor(reader: SeriesReader) {
    this.engine = new PromQLEvaluator(reader);
  }

  async evaluate(rule: CompiledRule, atMs: number): Promise<VectorSample[]> {
    return this.evaluateSync(rule, atMs);
  }

  evaluateSync(rule: CompiledRule, atMs: number): VectorSample[] {
    if (!rule.ast) throw new Error(`rule ${rule.rule.name} uses PromQL only Prometheus evaluates`);
    const v = this.engine.evaluate(rule.ast, atMs);
    // A scalar result is one alert without labels, as Prometheus treats it.
    return v.type === 'scalar' ? [{ labels: emptyLabels(), value: v.value }] : v.samples;
  }
}

/**
 * Rule expressions evaluated by a real Prometheus (with `PROMETHEUS_URL`) through its query API,
 * at the evaluation time; pending, firing and `keep_firing_for` are then tracked here as for the
 * built-in engine, so alerts, silences and notifications work the same. A Prometheus that cannot
 * answer fails the evaluation, which keeps the rule's alerts as they were (see
 * AlertingEngine.evaluate) rather than resolving them on missing data.
 */
export class PrometheusExprEvaluator implements ExprEvaluator {
  constructor(private readonly client: PrometheusClient) {}

  async evaluate(rule: CompiledRule, atMs: number): Promise<VectorSample[]> {
    const result = await this.client.instant(rule.rule.expr, atMs);
    return result.map((r) => ({ labels: r.metric, value: promValue(r.value[1]) }));
  }
}
