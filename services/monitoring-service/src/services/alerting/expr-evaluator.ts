import { emptyLabels, type Labels } from '../metrics/labels.js';
import type { QueryEngine } from '../metrics/query-engine.js';
import { sumBy, type VectorSample } from '../metrics/query-functions.js';
import { type PrometheusClient, promValue } from '../prometheus/prometheus-client.js';
import type { LocalSignals } from '../signals/local-signals.js';
import { seriesQuery } from '../signals/promql.js';
import type { SignalName } from '../signals/signal-names.js';
import type { PrometheusSignalSource } from '../signals/signal-source.js';
import type { CompiledExpr } from './rule-model.js';

/** Evaluates a rule expression at a time into one value per label set. */
export interface ExprEvaluator {
  evaluate(expr: CompiledExpr, atMs: number): Promise<VectorSample[]>;
}

const serviceLabels = (service: string) => {
  const labels = emptyLabels();
  labels['service'] = service;
  return labels;
};

function withoutName(labels: Labels): Labels {
  const out = emptyLabels();
  for (const [k, v] of Object.entries(labels)) if (k !== '__name__') out[k] = v;
  return out;
}

/** The SRE workbook's burn rate: the lower error ratio of both windows over the error budget. */
function burnRate(long: number | null, short: number | null, objective: number): number | null {
  return long === null || short === null ? null : Math.min(long, short) / (1 - objective);
}

/** The services a per-service expression is evaluated for. */
function servicesOf(expr: CompiledExpr & { service?: string }, all: () => readonly string[]) {
  return expr.service !== undefined ? [expr.service] : all();
}

function perService(services: readonly string[], values: ReadonlyArray<number | null>): VectorSample[] {
  const out: VectorSample[] = [];
  services.forEach((service, i) => {
    const value = values[i];
    if (value !== null && value !== undefined) out.push({ labels: serviceLabels(service), value });
  });
  return out;
}

/** Expressions evaluated over the in-process sample store. */
export class LocalExprEvaluator implements ExprEvaluator {
  constructor(
    private readonly engine: QueryEngine,
    private readonly signals: LocalSignals,
    /** The services to evaluate per-service expressions for (from discovery). */
    private readonly services: () => readonly string[],
  ) {}

  async evaluate(expr: CompiledExpr, atMs: number): Promise<VectorSample[]> {
    return this.evaluateSync(expr, atMs);
  }

  evaluateSync(expr: CompiledExpr, atMs: number): VectorSample[] {
    if (expr.kind === 'series') {
      const e = this.engine;
      let v: VectorSample[];
      if (expr.fn === 'value') {
        v = e.instant(expr.matchers, atMs).map((s) => ({ labels: withoutName(s.labels), value: s.value }));
      } else if (expr.fn === 'rate') v = e.rate(expr.matchers, expr.windowMs, atMs);
      else if (expr.fn === 'increase') v = e.increase(expr.matchers, expr.windowMs, atMs);
      else v = e.overTime(expr.fn.slice(0, 3) as 'avg' | 'min' | 'max', expr.matchers, expr.windowMs, atMs);
      return expr.sumBy ? sumBy(v, expr.sumBy) : v;
    }
    const services = servicesOf(expr, this.services);
    const at = (service: string, signal: SignalName, windowMs: number) =>
      this.signals.evaluate(service, signal, windowMs, atMs);
    return perService(
      services,
      services.map((service) =>
        expr.kind === 'signal'
          ? at(service, expr.signal, expr.windowMs)
          : burnRate(
              at(service, 'error_ratio', expr.longMs),
              at(service, 'error_ratio', expr.shortMs),
              expr.objective,
            ),
      ),
    );
  }
}

/**
 * Expressions evaluated by a real Prometheus (with `PROMETHEUS_URL`), written as the PromQL
 * of what the built-in store computes: rules then see the same data as the signals do. A
 * Prometheus that cannot answer fails the evaluation, which keeps the rule's alerts as they
 * were (see AlertingEngine.evaluate) rather than resolving them on missing data.
 */
export class PrometheusExprEvaluator implements ExprEvaluator {
  constructor(
    private readonly client: PrometheusClient,
    private readonly signals: PrometheusSignalSource,
    private readonly services: () => readonly string[],
  ) {}

  async evaluate(expr: CompiledExpr, atMs: number): Promise<VectorSample[]> {
    if (expr.kind === 'series') {
      const result = await this.client.instant(seriesQuery(expr), atMs);
      return result.map((r) => ({ labels: withoutName(r.metric), value: promValue(r.value[1]) }));
    }
    const services = servicesOf(expr, this.services);
    const values = await Promise.all(
      services.map(async (service) => {
        if (expr.kind === 'signal') return this.signals.value(service, expr.signal, expr.windowMs, atMs);
        const [long, short] = await Promise.all([
          this.signals.value(service, 'error_ratio', expr.longMs, atMs),
          this.signals.value(service, 'error_ratio', expr.shortMs, atMs),
        ]);
        return burnRate(long, short, expr.objective);
      }),
    );
    return perService(services, values);
  }
}
