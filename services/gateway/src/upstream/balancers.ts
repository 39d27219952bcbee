import type { UpstreamInstance } from './upstream-instance.js';

/** Chooses one of the available instances; `candidates` is never empty. */
export interface Balancer {
  pick(candidates: readonly UpstreamInstance[]): UpstreamInstance;
}

/** Plain rotation; fair when every request costs about the same. */
export function roundRobin(): Balancer {
  let next = 0;
  return {
    pick(candidates) {
      const chosen = candidates[next % candidates.length]!;
      next = (next + 1) % 1_000_000_007;
      return chosen;
    },
  };
}

/**
 * Least outstanding requests with the power of two choices: compare two random instances
 * and take the less busy one. It avoids the herd that "always the global minimum" causes
 * when several gateways share stale counts, at O(1) per pick.
 */
export function leastOutstanding(random: () => number = Math.random): Balancer {
  return {
    pick(candidates) {
      if (candidates.length === 1) return candidates[0]!;
      const i = Math.floor(random() * candidates.length);
      let j = Math.floor(random() * (candidates.length - 1));
      if (j >= i) j++;
      const a = candidates[i]!;
      const b = candidates[j]!;
      return b.outstanding < a.outstanding ? b : a;
    },
  };
}

export function createBalancer(kind: 'round-robin' | 'least-outstanding'): Balancer {
  return kind === 'round-robin' ? roundRobin() : leastOutstanding();
}
