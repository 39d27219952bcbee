import {
  BrokenCircuitError,
  CircuitState as CockatielState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
} from 'cockatiel';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  cooldownMs?: number;
}

/** A change of one circuit's state, as reported to its listener. */
export interface CircuitTransition {
  /** The upstream service (`ml-service`). */
  target: string;
  /** The instance's base URL. */
  instance: string;
  from: CircuitState;
  to: CircuitState;
}

export type CircuitListener = (transition: CircuitTransition) => void;

/** What `run` gives back when an open circuit refused the call without making it. */
export const REFUSED: unique symbol = Symbol('circuit refused');

function stateOf(s: CockatielState): CircuitState {
  return s === CockatielState.Closed ? 'closed' : s === CockatielState.HalfOpen ? 'half-open' : 'open';
}

/**
 * The circuit breaker of one upstream instance, on cockatiel's consecutive-failure breaker
 * (the resilience library the Node field uses): after `failureThreshold` consecutive failures
 * it opens and calls are refused at once; after `cooldownMs` one probe goes through
 * (half-open; calls arriving meanwhile wait for its outcome), whose success closes it and whose
 * failure opens it for another cooldown. Each
 * change is reported to `listener` (logs, `opsmesh_circuit_*` metrics, the API).
 *
 * @example
 * const circuit = new InstanceCircuit('ml-service', 'http://10.0.0.7:8082', { failureThreshold: 5 }, log);
 * const out = await circuit.run(() => call(), (res) => res.ok);
 * if (out === REFUSED) { ... try another instance ... }
 */
export class InstanceCircuit {
  private readonly policy;
  private last: CircuitState = 'closed';

  constructor(
    readonly target: string,
    readonly instance: string,
    options: CircuitOptions = {},
    private readonly listener?: CircuitListener,
  ) {
    this.policy = circuitBreaker(
      handleAll.orWhenResult((r) => (r as { healthy?: boolean }).healthy === false),
      {
        halfOpenAfter: options.cooldownMs ?? 10_000,
        breaker: new ConsecutiveBreaker(options.failureThreshold ?? 5),
      },
    );
    this.policy.onStateChange((s) => {
      const to = stateOf(s);
      if (to === this.last) return;
      const from = this.last;
      this.last = to;
      this.listener?.({ target, instance, from, to });
    });
  }

  get state(): CircuitState {
    return stateOf(this.policy.state);
  }

  /**
   * Makes the call unless the circuit refuses it; `healthy` says whether its result counts as a
   * success. A thrown error counts as a failure and is thrown on.
   */
  async run<T>(call: () => Promise<T>, healthy: (result: T) => boolean): Promise<T | typeof REFUSED> {
    try {
      const out = await this.policy.execute(async () => {
        const value = await call();
        return { value, healthy: healthy(value) };
      });
      return out.value;
    } catch (err) {
      if (err instanceof BrokenCircuitError) return REFUSED;
      throw err;
    }
  }
}
