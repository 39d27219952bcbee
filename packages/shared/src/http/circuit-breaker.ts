export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  cooldownMs?: number;
  now?: () => number;
}

/**
 * A circuit breaker for one upstream instance: after `failureThreshold` consecutive failures it
 * opens and calls fail fast; after `cooldownMs` one probe is let through (half-open), whose
 * success closes it again and whose failure re-opens it for another cooldown.
 *
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 10_000 });
 * if (breaker.allow()) { const ok = await call(); ok ? breaker.success() : breaker.failure(); }
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: CircuitState = 'closed';
  private readonly threshold: number;
  private readonly cooldown: number;
  private readonly now: () => number;

  constructor(options: CircuitOptions = {}) {
    this.threshold = options.failureThreshold ?? 5;
    this.cooldown = options.cooldownMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cooldown) return 'half-open';
    return this.current;
  }

  /** Whether a call may go now; in half-open, only one probe at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.current = 'closed';
  }

  failure(): void {
    this.probing = false;
    this.failures++;
    if (this.current === 'open' || this.failures >= this.threshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }
}
