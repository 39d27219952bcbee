import { CounterTables, hitRow } from './counter-table.js';
import type { RateLimitStore } from './rate-limit-store.js';
import { expiresAtSeconds, type HitResult, type WindowSpec } from './sliding-window.js';

/** Cells per window: the fixed window's index, its count and the previous window's count. */
const PER_WINDOW = 3;

/** Counters in process memory, for one gateway instance (and the fallback when Redis is down). */
export class LocalStore implements RateLimitStore {
  readonly kind = 'local' as const;
  // One table per number of windows a limit has (1 to 4), each key's cells side by side, plus
  // one cell for the second after which every window of the key is over (for the sweep).
  #tables = new CounterTables(PER_WINDOW, 1);
  #sweep: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepEveryMs = 60_000,
  ) {
    this.#sweep = setInterval(() => this.sweep(), sweepEveryMs).unref();
  }

  get size(): number {
    return this.#tables.size;
  }

  async hit(key: string, windows: readonly WindowSpec[]): Promise<HitResult> {
    return this.hitSync(key, windows);
  }

  hitSync(key: string, windows: readonly WindowSpec[]): HitResult {
    const now = this.now();
    const table = this.#tables.for(windows.length);
    const at = table.slot(key);
    const result = hitRow(table.data, at, PER_WINDOW, windows, now);
    table.data[at + windows.length * PER_WINDOW] = expiresAtSeconds(now, windows);
    return result;
  }

  /** Drops keys whose windows are all over. */
  sweep(): void {
    const nowSeconds = this.now() / 1000;
    this.#tables.sweep((d, meta) => d[meta]! <= nowSeconds);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
  }
}
