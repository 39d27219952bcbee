import type { RateLimitConfig } from '../config/plugin-schemas.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { type HitResult, type WindowSpec, windowName, windowsFrom } from './sliding-window.js';

/**
 * One hit's answer, in the terms of the IETF RateLimit header fields
 * (draft-ietf-httpapi-ratelimit-headers-11): the route's `RateLimit-Policy` is fixed and kept
 * on its limiter, so a decision carries only what changes per request.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** The `RateLimit` field: the window with the fewest hits left, e.g. `"minute";r=4;t=17`. */
  rateLimit: string;
  /** Seconds to wait before a hit fits again (`Retry-After`); 0 when allowed. */
  retryAfter: number;
}

/** The `RateLimit-Policy` field of a limit's windows, e.g. `"second";q=5;w=1, "minute";q=100;w=60`. */
export function policyField(windows: readonly WindowSpec[]): string {
  return windows
    .map((w) => `"${windowName(w.windowMs)}";q=${w.limit};w=${Math.ceil(w.windowMs / 1000)}`)
    .join(', ');
}

/**
 * The decision on a hit. `prefixes[i]` is window i's `"name";r=`, made once per limiter, so
 * a request joins one prefix and two numbers into one field value: three fields of their own
 * (`RateLimit-Limit`, `-Remaining`, `-Reset`, draft 7) were three strings, a record of them
 * and three more header pairs for Node to check and write on every answer.
 */
export function decide(result: HitResult, prefixes: readonly string[]): RateLimitDecision {
  const windows = result.windows;
  let k = 0;
  for (let i = 1; i < windows.length; i++) if (windows[i]!.remaining < windows[k]!.remaining) k = i;
  const w = windows[k]!;
  const reset = Math.max(1, Math.ceil(w.resetMs / 1000));
  let retryAfter = 0;
  if (!result.allowed) {
    let retry = 0;
    for (const x of windows) retry = Math.max(retry, x.retryAfterMs);
    retryAfter = Math.max(1, Math.ceil(retry / 1000));
  }
  return { allowed: result.allowed, rateLimit: `${prefixes[k]}${w.remaining};t=${reset}`, retryAfter };
}

const UNLIMITED: RateLimitDecision = Object.freeze({ allowed: true, rateLimit: '', retryAfter: 0 });

/**
 * One route's limit: the windows of its plugin config, counted per consumer or per IP.
 *
 * @example
 * const limiter = new RateLimiter('login', { policy: 'local', limit_by: 'ip', minute: 10 }, store);
 * const { allowed, rateLimit } = await limiter.check({ consumer: undefined, ip: '10.0.0.1' });
 * // rateLimit: '"minute";r=9;t=60', limiter.policyField: '"minute";q=10;w=60'
 */
export class RateLimiter {
  readonly windows: WindowSpec[];
  readonly policy: RateLimitConfig['policy'];
  /** The route's `RateLimit-Policy` field, sent with every answer the limit decides. */
  readonly policyField: string;
  readonly #prefixes: string[];
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
    this.policyField = policyField(this.windows);
    this.#prefixes = this.windows.map((w) => `"${windowName(w.windowMs)}";r=`);
  }

  /**
   * Decides one hit; answers without a promise when the store counts in memory (local, and
   * the redis policy's synced store), which saves the hot path a promise and a microtask.
   */
  check(who: { consumer?: string | undefined; ip: string }): RateLimitDecision | Promise<RateLimitDecision> {
    if (this.windows.length === 0) return UNLIMITED;
    const key = this.#key(who.consumer, who.ip);
    if (this.store.hitSync) return decide(this.store.hitSync(key, this.windows), this.#prefixes);
    return this.store.hit(key, this.windows).then((result) => decide(result, this.#prefixes));
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
