import type { HitResult, WindowSpec } from './sliding-window.js';

/**
 * Where rate-limit counters live. `hit` decides and counts atomically: a denied hit is not
 * counted, so a client that is refused does not push its own reset further away.
 */
export interface RateLimitStore {
  readonly kind: 'local' | 'redis';
  hit(key: string, windows: readonly WindowSpec[]): Promise<HitResult>;
  /** The same decision made without waiting, by stores that keep their counts in memory. */
  hitSync?(key: string, windows: readonly WindowSpec[]): HitResult;
  close(): Promise<void>;
}

export interface StoreHealth {
  policy: 'local' | 'redis';
  status: 'ok' | 'degraded';
  detail?: string;
}
