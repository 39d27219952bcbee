import type { LocalStore } from './local-store.js';
import type { RateLimitStore, StoreHealth } from './rate-limit-store.js';
import type { RedisStore } from './redis-store.js';
import type { HitResult, WindowSpec } from './sliding-window.js';

/**
 * The `redis` policy: Redis while it answers, local counters while it does not, so the
 * gateway keeps limiting (per instance) instead of failing open or refusing traffic.
 */
export class FallbackStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  #lastError: string | undefined;
  #onChange: ((health: StoreHealth) => void) | undefined;

  constructor(
    private readonly primary: RedisStore,
    private readonly fallback: LocalStore,
    onChange?: (health: StoreHealth) => void,
  ) {
    this.#onChange = onChange;
    // ioredis emits connection errors as events; without a listener they would crash the process.
    primary.redis.on('error', (err: Error) => this.#degrade(err.message));
    primary.redis.on('ready', () => {
      if (this.#lastError !== undefined) {
        this.#lastError = undefined;
        this.#onChange?.(this.health());
      }
    });
  }

  async hit(key: string, windows: readonly WindowSpec[]): Promise<HitResult> {
    // Not waiting on a connection that is down keeps the hot path fast during an outage.
    if (this.primary.redis.status !== 'ready') {
      this.#degrade(`redis connection is ${this.primary.redis.status}`);
      return this.fallback.hitSync(key, windows);
    }
    try {
      const result = await this.primary.hit(key, windows);
      if (this.#lastError !== undefined) {
        this.#lastError = undefined;
        this.#onChange?.(this.health());
      }
      return result;
    } catch (err) {
      this.#degrade(err instanceof Error ? err.message : String(err));
      return this.fallback.hitSync(key, windows);
    }
  }

  #degrade(reason: string): void {
    const changed = this.#lastError === undefined;
    this.#lastError = reason;
    if (changed) this.#onChange?.(this.health());
  }

  health(): StoreHealth {
    if (this.primary.redis.status !== 'ready' && this.#lastError === undefined) {
      return {
        policy: 'redis',
        status: 'degraded',
        detail: `redis connection is ${this.primary.redis.status}; using local limits`,
      };
    }
    return this.#lastError === undefined
      ? { policy: 'redis', status: 'ok' }
      : { policy: 'redis', status: 'degraded', detail: `${this.#lastError}; using local limits` };
  }

  async close(): Promise<void> {
    await this.primary.close();
  }
}
