import type { Redis } from 'ioredis';
import { FallbackStore } from './fallback-store.js';
import type { LocalStore } from './local-store.js';
import type { RateLimitStore, StoreHealth } from './rate-limit-store.js';
import { RedisStore } from './redis-store.js';
import { SyncedStore } from './synced-store.js';

/**
 * The stores of the `redis` policy on one connection: the exact one (`sync_ms: 0`, every hit
 * decided in Redis, local limits while Redis is down) and one synced store per sync interval
 * the config names. They outlive config reloads, so counters survive them.
 */
export class RedisStores {
  #exact: FallbackStore | undefined;
  #synced = new Map<number, SyncedStore>();

  constructor(
    private readonly redis: Redis,
    private readonly local: LocalStore,
    private readonly onChange: (health: StoreHealth) => void,
  ) {}

  store(syncMs: number): RateLimitStore {
    if (syncMs === 0) {
      this.#exact ??= new FallbackStore(new RedisStore(this.redis), this.local, this.onChange);
      return this.#exact;
    }
    let synced = this.#synced.get(syncMs);
    if (!synced) {
      synced = new SyncedStore(this.redis, { syncMs, onChange: this.onChange });
      this.#synced.set(syncMs, synced);
    }
    return synced;
  }

  /** Degraded when any of the stores is: the first one's reason speaks for them. */
  health(): StoreHealth {
    const all = [...(this.#exact ? [this.#exact] : []), ...this.#synced.values()].map((s) => s.health());
    if (all.length === 0 && this.redis.status !== 'ready') {
      return {
        policy: 'redis',
        status: 'degraded',
        detail: `redis connection is ${this.redis.status}; using local limits`,
      };
    }
    return all.find((h) => h.status === 'degraded') ?? { policy: 'redis', status: 'ok' };
  }

  /** Sends what the synced stores counted since their last sync; the caller owns the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.#synced.values()].map((s) => s.close()));
  }
}
