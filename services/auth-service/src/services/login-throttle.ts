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

/** When the account unlocks after its `failures`-th consecutive failure, or null while still free. */
export function lockUntil(failures: number, policy: ThrottlePolicy, now = Date.now()): Date | null {
  if (failures < policy.freeAttempts) return null;
  const delay = Math.min(policy.maxDelaySec, policy.baseDelaySec * 2 ** (failures - policy.freeAttempts));
  return new Date(now + delay * 1000);
}

/**
 * The same policy for emails that match no account, kept in memory, so a lockout answer does not
 * tell an attacker whether the email exists. Bounded: the oldest entries go first.
 */
export function createPhantomThrottle(policy: ThrottlePolicy, max = 10_000) {
  const entries = new Map<string, { failures: number; until: number }>();
  return {
    lockedFor(email: string, now = Date.now()): number {
      const e = entries.get(email);
      return e && e.until > now ? Math.ceil((e.until - now) / 1000) : 0;
    },
    fail(email: string, now = Date.now()): void {
      const e = entries.get(email) ?? { failures: 0, until: 0 };
      e.failures++;
      e.until = lockUntil(e.failures, policy, now)?.getTime() ?? 0;
      entries.delete(email);
      if (entries.size >= max) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(email, e);
    },
  };
}
