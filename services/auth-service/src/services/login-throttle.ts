/**
 * Lockout policy: after `freeAttempts` consecutive failures an account waits `baseDelaySec`,
 * doubling with each further failure up to `maxDelaySec`.
 */
export interface ThrottlePolicy {
  freeAttempts: number;
  baseDelaySec: number;
  maxDelaySec: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = { freeAttempts: 5, baseDelaySec: 30, maxDelaySec: 900 };
