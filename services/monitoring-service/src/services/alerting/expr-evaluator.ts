import { emptyLabels } from '../metrics/labels.js';
import type { QueryEngine } from '../metrics/query-engine.js';
import { sumBy, type VectorSample } from '../metrics/query-functions.js';
import type { LocalSignals } from '../signals/local-signals.js';
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

function dropName(vector: VectorSample[]): VectorSample[] {
  return vector.map((s) => {
    const labels = emptyLabels();
    for (const [k, v] of Object.entries(s.labels)) if (k !== '__name__') labels[k] = v;
    return { labels, value: s.value };
  });
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
      if (expr.fn === 'value') v = dropName(e.instant(expr.matchers, atMs));
      else if (expr.fn === 'rate') v = e.rate(expr.matchers, expr.windowMs, atMs);
      else if (expr.fn === 'increase') v = e.increase(expr.matchers, expr.windowMs, atMs);
      else v = e.overTime(expr.fn.slice(0, 3) as 'avg' | 'min' | 'max', expr.matchers, expr.windowMs, atMs);
      return expr.sumBy ? sumBy(v, expr.sumBy) : v;
    }
    const services = expr.service !== undefined ? [expr.service] : this.services();
    const out: VectorSample[] = [];
    for (const service of services) {
      let value: number | null;
      if (expr.kind === 'signal') {
        value = this.signals.evaluate(service, expr.signal, expr.windowMs, atMs);
      } else {
        const long = this.signals.evaluate(service, 'error_ratio', expr.longMs, atMs);
        const short = this.signals.evaluate(service, 'error_ratio', expr.shortMs, atMs);
        value = long === null || short === null ? null : Math.min(long, short) / (1 - expr.objective);
      }
      if (value !== null) out.push({ labels: serviceLabels(service), value });
    }
    return out;
  }
}
