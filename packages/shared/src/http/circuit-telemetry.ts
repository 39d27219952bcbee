import { Counter, Gauge, type Registry } from 'prom-client';
import type { CircuitListener, CircuitState, CircuitTransition } from './circuit-breaker.js';

/** Gauge values of `opsmesh_circuit_state`: ordered by severity, so `max` finds the worst. */
export const CIRCUIT_STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface CircuitStatus {
  target: string;
  instance: string;
  state: CircuitState;
  /** When it entered this state (ISO time). */
  since: string;
}

interface LogSink {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * What a service's circuit breakers look like from outside: every transition logged (opening as
 * a warning) and counted (`opsmesh_circuit_transitions_total{target,instance,from,to}`), the
 * current state as `opsmesh_circuit_state{target,instance}` (0 closed, 1 half-open, 2 open),
 * and the list the service's readiness body shows (`circuits`).
 *
 * @example
 * const circuits = new CircuitTelemetry({ registry: app.metrics.registry, log: app.log });
 * createHttpClient({ service: 'ml-service', discovery, circuits: circuits.listener });
 */
export class CircuitTelemetry {
  private readonly current = new Map<string, CircuitStatus>();
  private readonly gauge: Gauge | undefined;
  private readonly transitions: Counter | undefined;

  constructor(private readonly options: { registry?: Registry; log?: LogSink; now?: () => number } = {}) {
    const registers = options.registry ? [options.registry] : [];
    if (options.registry) {
      this.gauge = new Gauge({
        name: 'opsmesh_circuit_state',
        help: 'Circuit breaker state per upstream instance: 0 closed, 1 half-open, 2 open',
        labelNames: ['target', 'instance'],
        registers,
      });
      this.transitions = new Counter({
        name: 'opsmesh_circuit_transitions_total',
        help: 'Circuit breaker state changes per upstream instance',
        labelNames: ['target', 'instance', 'from', 'to'],
        registers,
      });
    }
  }

  /** Pass to `createHttpClient({ circuits })`. */
  readonly listener: CircuitListener = (t: CircuitTransition) => {
    const at = new Date((this.options.now ?? Date.now)()).toISOString();
    this.current.set(`${t.target} ${t.instance}`, {
      target: t.target,
      instance: t.instance,
      state: t.to,
      since: at,
    });
    this.gauge?.set({ target: t.target, instance: t.instance }, CIRCUIT_STATE_VALUE[t.to]);
    this.transitions?.inc({ target: t.target, instance: t.instance, from: t.from, to: t.to });
    const fields = { circuit: { target: t.target, instance: t.instance, from: t.from, to: t.to } };
    if (t.to === 'open') {
      this.options.log?.warn(
        fields,
        `circuit to ${t.target} at ${t.instance} opened: calls fail fast until a probe succeeds`,
      );
    } else {
      this.options.log?.info(fields, `circuit to ${t.target} at ${t.instance} is ${t.to}`);
    }
  };

  /** Every circuit that has left the closed state at least once, with its state now. */
  list(): CircuitStatus[] {
    return [...this.current.values()];
  }
}
