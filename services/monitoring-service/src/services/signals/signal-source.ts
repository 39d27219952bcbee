import { type PrometheusClient, promValue } from '../prometheus/prometheus-client.js';
import type { LocalSignals } from './local-signals.js';
import { signalQueries } from './promql.js';
import { type SaturationBudget, SIGNAL_NAMES, type SignalName, type SignalValues } from './signal-names.js';

export interface SignalPoint {
  at: number;
  value: number | null;
}

/** Where golden signals come from: the in-process store, or a real Prometheus by PromQL. */
export interface SignalSource {
  readonly kind: 'local' | 'prometheus';
  current(service: string, windowMs: number, atMs: number): Promise<SignalValues>;
  series(
    service: string,
    signal: SignalName,
    rateWindowMs: number,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<SignalPoint[]>;
}

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

export class LocalSignalSource implements SignalSource {
  readonly kind = 'local';

  constructor(private readonly signals: LocalSignals) {}

  async current(service: string, windowMs: number, atMs: number): Promise<SignalValues> {
    return this.signals.all(service, windowMs, atMs);
  }

  async series(
    service: string,
    signal: SignalName,
    rateWindowMs: number,
    startMs: number,
    endMs: number,
    stepMs: number,
  ) {
    const points: SignalPoint[] = [];
    for (let t = startMs; t <= endMs; t += stepMs) {
      points.push({ at: t, value: this.signals.evaluate(service, signal, rateWindowMs, t) });
    }
    return points;
  }
}

export class PrometheusSignalSource implements SignalSource {
  readonly kind = 'prometheus';

  constructor(
    private readonly client: PrometheusClient,
    private readonly budget: SaturationBudget,
  ) {}

  async current(service: string, windowMs: number, atMs: number): Promise<SignalValues> {
    const out = {} as SignalValues;
    await Promise.all(
      SIGNAL_NAMES.map(async (signal) => {
        out[signal] = await this.value(service, signal, windowMs, atMs);
      }),
    );
    return out;
  }

  /** One signal of one service at `atMs`; null when Prometheus has no data for it. */
  async value(service: string, signal: SignalName, windowMs: number, atMs: number): Promise<number | null> {
    let best: number | null = null;
    for (const q of signalQueries(service, signal, windowMs, this.budget)) {
      const [first] = await this.client.instant(q, atMs);
      const v = first ? finite(promValue(first.value[1])) : null;
      if (v !== null) best = best === null ? v : Math.max(best, v);
    }
    return best;
  }

  async series(
    service: string,
    signal: SignalName,
    rateWindowMs: number,
    startMs: number,
    endMs: number,
    stepMs: number,
  ) {
    const byTime = new Map<number, number | null>();
    for (let t = startMs; t <= endMs; t += stepMs) byTime.set(t, null);
    for (const q of signalQueries(service, signal, rateWindowMs, this.budget)) {
      const [first] = await this.client.range(q, startMs, endMs, stepMs);
      for (const [t, text] of first?.values ?? []) {
        const at = Math.round(t * 1000);
        const v = finite(promValue(text));
        const prev = byTime.get(at) ?? null;
        byTime.set(at, v === null ? prev : prev === null ? v : Math.max(prev, v));
      }
    }
    return [...byTime].sort((a, b) => a[0] - b[0]).map(([at, value]) => ({ at, value }));
  }
}
