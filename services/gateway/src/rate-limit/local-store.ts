import type { RateLimitStore } from './rate-limit-store.js';
import {
  describeWindow,
  fits,
  type HitResult,
  type WindowOutcome,
  type WindowSpec,
} from './sliding-window.js';

interface Counter {
  windowMs: number;
  index: number;
  curr: number;
  prev: number;
}

/** Counters in process memory, for one gateway instance (and the fallback when Redis is down). */
export class LocalStore implements RateLimitStore {
  readonly kind = 'local' as const;
  // One entry per key holding a counter per window: one lookup per hit, no per-window key strings.
  #counters = new Map<string, Counter[]>();
  #sweep: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepEveryMs = 60_000,
  ) {
    this.#sweep = setInterval(() => this.sweep(), sweepEveryMs).unref();
  }

  get size(): number {
    return this.#counters.size;
  }

  async hit(key: string, windows: readonly WindowSpec[]): Promise<HitResult> {
    return this.hitSync(key, windows);
  }

  hitSync(key: string, windows: readonly WindowSpec[]): HitResult {
    const now = this.now();
    let counters = this.#counters.get(key);
    if (!counters) {
      counters = [];
      this.#counters.set(key, counters);
    }
    let allowed = true;
    for (let i = 0; i < windows.length; i++) {
      const { windowMs } = windows[i]!;
      const index = Math.floor(now / windowMs);
      let c = counters[i];
      if (!c || c.windowMs !== windowMs) {
        // New key, or the route's windows changed with a reload.
        c = { windowMs, index, curr: 0, prev: 0 };
        counters[i] = c;
      } else if (c.index !== index) {
        c.prev = c.index === index - 1 ? c.curr : 0;
        c.curr = 0;
        c.index = index;
      }
      if (!fits(c.prev, c.curr, now - index * windowMs, windows[i]!)) allowed = false;
    }
    counters.length = windows.length;
    const outcomes: WindowOutcome[] = new Array(windows.length);
    for (let i = 0; i < windows.length; i++) {
      const c = counters[i]!;
      if (allowed) c.curr++;
      outcomes[i] = describeWindow(c.prev, c.curr, now - c.index * c.windowMs, windows[i]!);
    }
    return { allowed, windows: outcomes };
  }

  /** Drops keys whose windows are all over. */
  sweep(): void {
    const now = this.now();
    for (const [key, counters] of this.#counters) {
      if (counters.every((c) => Math.floor(now / c.windowMs) > c.index + 1)) this.#counters.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
  }
}
