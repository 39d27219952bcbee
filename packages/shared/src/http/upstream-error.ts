import type { ProblemBody } from '../service/problem.js';

/**
 * A failure the caller is expected to handle: typed, never a thrown string. A call to another
 * service timed out, found no instance answering, found every circuit open, or was answered with
 * a problem. A module of its own so the error handler can recognise
 * it without loading the HTTP client and its circuit breakers.
 *
 * @example
 * if (err instanceof UpstreamError && err.kind === 'timeout') retryLater();
 */
export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    /** `circuit_open`: refused without a call, every instance's circuit being open. */
    readonly kind: 'timeout' | 'unavailable' | 'problem' | 'circuit_open',
    message: string,
    readonly status?: number,
    readonly problem?: ProblemBody,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
