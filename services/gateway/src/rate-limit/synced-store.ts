import type { Redis } from 'ioredis';
import { CounterTables, CURR, hitRow, INDEX, PREV } from './counter-table.js';
import type { RateLimitStore, StoreHealth } from './rate-limit-store.js';
import { counterKey } from './redis-store.js';
import { expiresAtSeconds, type HitResult, type WindowSpec } from './sliding-window.js';

/**
 * Adds each entry's increment to its current window's counter and reads it back with the
 * previous window's, all in one call, on Redis's clock (returned first, in ms). KEYS come in
 * pairs (current, previous window's counter); ARGV in pairs (increment, expiry in ms). The
 * counters are the ones the exact script (`redis-store.ts`) keeps, so both modes agree.
 */
export const SYNC_SCRIPT = `
local t = redis.call('TIME')
local out = { tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) }
for i = 1, #KEYS / 2 do
  local inc = tonumber(ARGV[2 * i - 1])
  local curr
  if inc > 0 then
    curr = redis.call('INCRBY', KEYS[2 * i - 1], inc)
    redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[2 * i])
  else
    curr = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  end
  out[#out + 1] = curr
  out[#out + 1] = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
end
return out
`;

/**
 * Cells per window after the shared three (index; count across every gateway as far as known
 * here, which is Redis's last total plus what this gateway admitted since; the previous
 * window's): hits admitted here not yet sent, and hits sent whose answer has not come.
 */
const PENDING = 3;
const INFLIGHT = 4;
const PER_WINDOW = 5;
/** Keys per script call: bounds the time one call holds Redis. */
const BATCH = 500;

type SyncCommand = (numKeys: number, ...args: (string | number)[]) => Promise<number[]>;

interface Sent {
  key: string;
  windows: readonly WindowSpec[];
  at: number;
  /** Per window: the index sent and the increment sent. */
  index: number[];
  inc: number[];
}

export interface SyncedStoreOptions {
  /** How often the hits counted here are added to Redis and the totals read back. */
  syncMs: number;
  prefix?: string;
  now?: () => number;
  onChange?: (health: StoreHealth) => void;
}

/**
 * The `redis` policy with `sync_ms` > 0: decides every hit in process memory, exactly for
 * this gateway's own hits, on the totals of all gateways as Redis last reported them, and
 * every `syncMs` sends the hits counted since (one script call per 500 keys, pipelined) and
 * reads the new totals back. Nothing on the request path waits for Redis.
 *
 * The error this allows: a gateway sees the others' hits with a delay of at most two sync
 * intervals plus a Redis round trip (theirs to send, its own to read), so a window can admit
 * the limit plus what the other gateways admit for the key in that time; a gateway alone never
 * admits more than the limit, so N gateways hit at once by a burst shorter than one interval
 * admit at most N × the limit. While Redis does not answer, each gateway keeps counting
 * locally (on the totals it last saw) and the hits not yet sent are sent once Redis is back.
 *
 * @example
 * const store = new SyncedStore(redis, { syncMs: 100 });
 * const { allowed } = store.hitSync('login:ip:10.0.0.1', [{ windowMs: 60_000, limit: 10 }]);
 */
export class SyncedStore implements RateLimitStore {
  readonly kind = 'redis' as const;
  #tables = new CounterTables(PER_WINDOW, 2);
  #dirtyKeys: string[] = [];
  #dirtyWindows: (readonly WindowSpec[])[] = [];
  #syncing = false;
  #offsetMs = 0;
  #lastError: string | undefined;
  #timer: NodeJS.Timeout;
  #sweep: NodeJS.Timeout;
  #sync: SyncCommand;
  #prefix: string;
  #now: () => number;
  #onChange: ((health: StoreHealth) => void) | undefined;

  constructor(
    readonly redis: Redis,
    options: SyncedStoreOptions,
  ) {
    this.#prefix = options.prefix ?? 'opsmesh:gw:rl:';
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
    if (!('gatewayRateLimitSync' in redis)) {
      redis.defineCommand('gatewayRateLimitSync', { lua: SYNC_SCRIPT });
    }
    const command = (redis as unknown as { gatewayRateLimitSync: SyncCommand }).gatewayRateLimitSync;
    this.#sync = command.bind(redis);
    // ioredis emits connection errors as events; without a listener they would crash the process.
    redis.on('error', (err: Error) => this.#degrade(err.message));
    redis.on('ready', () => {
      if (this.#lastError === undefined) return;
      this.#lastError = undefined;
      this.#onChange?.(this.health());
    });
    this.#timer = setInterval(() => void this.sync(), options.syncMs).unref();
    this.#sweep = setInterval(() => this.sweep(), 60_000).unref();
  }

  get size(): number {
    return this.#tables.size;
  }

  async hit(key: string, windows: readonly WindowSpec[]): Promise<HitResult> {
    return this.hitSync(key, windows);
  }

  hitSync(key: string, windows: readonly WindowSpec[]): HitResult {
    // Redis's clock, as of the last sync, so every gateway agrees on window boundaries.
    const now = this.#now() + this.#offsetMs;
    const n = windows.length;
    const table = this.#tables.for(n);
    const at = table.slot(key);
    const d = table.data;
    const result = hitRow(d, at, PER_WINDOW, windows, now);
    if (result.allowed) for (let i = 0; i < n; i++) d[at + i * PER_WINDOW + PENDING]!++;
    const meta = at + n * PER_WINDOW;
    d[meta] = expiresAtSeconds(now, windows);
    // Every key hit since the last sync is sent, refused hits too: their totals are read back.
    if (d[meta + 1] === 0) {
      d[meta + 1] = 1;
      this.#dirtyKeys.push(key);
      this.#dirtyWindows.push(windows);
    }
    return result;
  }

  /**
   * Sends the hits counted since the last sync and reads the totals back; runs every
   * `syncMs`, one at a time. Resolves once done; a failure leaves the hits to the next one.
   */
  async sync(): Promise<void> {
    if (this.#syncing || this.#dirtyKeys.length === 0) return;
    if (this.redis.status !== 'ready') {
      this.#degrade(`redis connection is ${this.redis.status}`);
      return;
    }
    this.#syncing = true;
    const keys = this.#dirtyKeys;
    const windows = this.#dirtyWindows;
    this.#dirtyKeys = [];
    this.#dirtyWindows = [];
    const sent: Sent[] = [];
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const spec = windows[k]!;
      const table = this.#tables.for(spec.length);
      const at = table.find(key);
      if (at < 0) continue;
      const d = table.data;
      d[at + spec.length * PER_WINDOW + 1] = 0;
      const entry: Sent = { key, windows: spec, at, index: [], inc: [] };
      for (let i = 0; i < spec.length; i++) {
        const o = at + i * PER_WINDOW;
        const inc = d[o + PENDING]!;
        d[o + INFLIGHT]! += inc;
        d[o + PENDING] = 0;
        entry.index.push(d[o + INDEX]!);
        entry.inc.push(inc);
      }
      sent.push(entry);
    }
    try {
      await Promise.all(this.#calls(sent));
      if (this.#lastError !== undefined) {
        this.#lastError = undefined;
        this.#onChange?.(this.health());
      }
    } catch (err) {
      this.#degrade(err instanceof Error ? err.message : String(err));
    } finally {
      this.#syncing = false;
    }
  }

  #calls(sent: Sent[]): Promise<void>[] {
    const calls: Promise<void>[] = [];
    for (let from = 0; from < sent.length; from += BATCH) {
      const batch = sent.slice(from, from + BATCH);
      const keys: string[] = [];
      const args: number[] = [];
      for (const e of batch) {
        for (let i = 0; i < e.windows.length; i++) {
          const w = e.windows[i]!.windowMs;
          keys.push(
            counterKey(this.#prefix + e.key, w, e.index[i]!),
            counterKey(this.#prefix + e.key, w, e.index[i]! - 1),
          );
          args.push(e.inc[i]!, w * 2);
        }
      }
      const t0 = this.#now();
      calls.push(
        this.#sync(keys.length, ...keys, ...args).then(
          (out) => {
            this.#offsetMs = out[0]! - (t0 + this.#now()) / 2;
            this.#apply(batch, out);
          },
          (err: unknown) => {
            this.#restore(batch);
            throw err;
          },
        ),
      );
    }
    return calls;
  }

  /** Takes the totals Redis answered, for windows still current here. */
  #apply(batch: Sent[], out: number[]): void {
    let r = 1;
    for (const e of batch) {
      const table = this.#tables.for(e.windows.length);
      const live = table.find(e.key) === e.at;
      const d = table.data;
      for (let i = 0; i < e.windows.length; i++, r += 2) {
        if (!live) continue;
        const o = e.at + i * PER_WINDOW;
        if (d[o + INDEX] === e.index[i]) {
          d[o + INFLIGHT]! -= e.inc[i]!;
          d[o + CURR] = out[r]! + d[o + PENDING]! + d[o + INFLIGHT]!;
          d[o + PREV] = out[r + 1]!;
        } else if (d[o + INDEX] === e.index[i]! + 1) {
          // The window turned while the call was out: what Redis counted is now the previous one
          // (the hits this gateway had not sent yet are only in its own count).
          d[o + PREV] = Math.max(d[o + PREV]!, out[r]!);
        }
      }
    }
  }

  /** Puts hits whose call failed back to be sent with the next sync. */
  #restore(batch: Sent[]): void {
    for (const e of batch) {
      const table = this.#tables.for(e.windows.length);
      if (table.find(e.key) !== e.at) continue;
      const d = table.data;
      let again = false;
      for (let i = 0; i < e.windows.length; i++) {
        const o = e.at + i * PER_WINDOW;
        if (d[o + INDEX] !== e.index[i]) continue;
        d[o + INFLIGHT]! -= e.inc[i]!;
        d[o + PENDING]! += e.inc[i]!;
        again = true;
      }
      const flag = e.at + e.windows.length * PER_WINDOW + 1;
      if (again && d[flag] === 0) {
        d[flag] = 1;
        this.#dirtyKeys.push(e.key);
        this.#dirtyWindows.push(e.windows);
      }
    }
  }

  /** Drops keys whose windows are all over and that have nothing left to send. */
  sweep(): void {
    const nowSeconds = (this.#now() + this.#offsetMs) / 1000;
    this.#tables.sweep((d, meta) => d[meta]! <= nowSeconds && d[meta + 1] === 0);
  }

  #degrade(reason: string): void {
    const changed = this.#lastError === undefined;
    this.#lastError = reason;
    if (changed) this.#onChange?.(this.health());
  }

  health(): StoreHealth {
    if (this.#lastError === undefined && this.redis.status !== 'ready') {
      return {
        policy: 'redis',
        status: 'degraded',
        detail: `redis connection is ${this.redis.status}; counting locally until it is back`,
      };
    }
    return this.#lastError === undefined
      ? { policy: 'redis', status: 'ok' }
      : {
          policy: 'redis',
          status: 'degraded',
          detail: `${this.#lastError}; counting locally until it is back`,
        };
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#sweep);
    // Hits counted since the last sync still reach Redis when it answers.
    await this.sync().catch(() => {});
  }
}
