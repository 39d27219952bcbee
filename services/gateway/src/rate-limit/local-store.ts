import type { RateLimitStore } from './rate-limit-store.js';
import { describeWindow, fits, type HitResult, type WindowSpec } from './sliding-window.js';

interface Counter {
  index: number;
  curr: number;
  prev: number;
}

/** Counters in process memory, for one gateway instance (and the fallback when Redis is down). */
export class LocalStore implements RateLimitStore {
  readonly kind = 'local' as const;
  #counters = new Map<string, Counter>();
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
    const counters: Counter[] = [];
    const elapsed: number[] = [];
    let allowed = true;
    for (const spec of windows) {
      const index = Math.floor(now / spec.windowMs);
      const id = `${key}:${spec.windowMs}`;
      let c = this.#counters.get(id);
      if (!c) {
        c = { index, curr: 0, prev: 0 };
        this.#counters.set(id, c);
      } else if (c.index !== index) {
        c.prev = c.index === index - 1 ? c.curr : 0;
        c.curr = 0;
        c.index = index;
      }
      const e = now - index * spec.windowMs;
      counters.push(c);
      elapsed.push(e);
      if (!fits(c.prev, c.curr, e, spec)) allowed = false;
    }
    if (allowed) for (const c of counters) c.curr++;
    return {
      allowed,
      windows: windows.map((spec, i) =>
        describeWindow(counters[i]!.prev, counters[i]!.curr, elapsed[i]!, spec),
      ),
    };
  }

  /** Drops counters whose both windows are over. */
  sweep(): void {
    const now = this.now();
    for (const [id, c] of this.#counters) {
      const windowMs = Number(id.slice(id.lastIndexOf(':') + 1));
      if (Math.floor(now / windowMs) > c.index + 1) this.#counters.delete(id);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweep);
  }
}
