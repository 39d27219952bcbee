import type { RateLimitConfig } from '../config/plugin-schemas.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { type HitResult, type WindowOutcome, type WindowSpec, windowsFrom } from './sliding-window.js';

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Picks the window that speaks for the response: the one with the fewest hits left. */
function tightest(windows: readonly WindowOutcome[]): WindowOutcome {
  let best = windows[0]!;
  for (const w of windows) if (w.remaining < best.remaining) best = w;
  return best;
}

/** IETF RateLimit headers (draft 7 field names) and Retry-After on refusal. */
export function rateLimitHeaders(result: HitResult): Record<string, string> {
  const w = tightest(result.windows);
  const headers: Record<string, string> = {
    'ratelimit-limit': String(w.limit),
    'ratelimit-remaining': String(w.remaining),
    'ratelimit-reset': String(Math.max(1, Math.ceil(w.resetMs / 1000))),
  };
  if (!result.allowed) {
    let retry = 0;
    for (const x of result.windows) retry = Math.max(retry, x.retryAfterMs);
    headers['retry-after'] = String(Math.max(1, Math.ceil(retry / 1000)));
  }
  return headers;
}

function decision(result: HitResult): RateLimitDecision {
  return { allowed: result.allowed, headers: rateLimitHeaders(result) };
}

/**
 * One route's limit: the windows of its plugin config, counted per consumer or per IP.
 *
 * @example
 * const limiter = new RateLimiter('login', { policy: 'local', limit_by: 'ip', minute: 10 }, store);
 * const { allowed, headers } = await limiter.check({ consumer: undefined, ip: '10.0.0.1' });
 */
export class RateLimiter {
  readonly windows: WindowSpec[];
  readonly policy: RateLimitConfig['policy'];
  // The last consumer's and the last address's counter key, reused while the same caller comes
  // again (a client's requests arrive in runs): a key built per request is a new string that
  // the counter table's Map joins and hashes each time; the kept one has its hash already.
  #consumer: string | undefined;
  #consumerKey = '';
  #ip: string | undefined;
  #ipKey = '';

  constructor(
    private readonly route: string,
    private readonly config: Omit<RateLimitConfig, 'sync_ms'>,
    private readonly store: RateLimitStore,
  ) {
    this.windows = windowsFrom(config);
    this.policy = config.policy;
  }

  /**
   * Decides one hit; answers without a promise when the store counts in memory (local, and
   * the redis policy's synced store), which saves the hot path a promise and a microtask.
   */
  check(who: { consumer?: string | undefined; ip: string }): RateLimitDecision | Promise<RateLimitDecision> {
    if (this.windows.length === 0) return { allowed: true, headers: {} };
    const key = this.#key(who.consumer, who.ip);
    if (this.store.hitSync) return decision(this.store.hitSync(key, this.windows));
    return this.store.hit(key, this.windows).then(decision);
  }

  /** The counter key of a caller; anonymous callers of a per-consumer route count by address. */
  #key(consumer: string | undefined, ip: string): string {
    if (consumer && this.config.limit_by === 'consumer') {
      if (consumer !== this.#consumer) {
        this.#consumerKey = `${this.route}:c:${consumer}`;
        this.#consumer = consumer;
      }
      return this.#consumerKey;
    }
    if (ip !== this.#ip) {
      this.#ipKey = `${this.route}:ip:${ip}`;
      this.#ip = ip;
    }
    return this.#ipKey;
  }
}
