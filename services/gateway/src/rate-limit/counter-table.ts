import {
  describeWindow,
  fits,
  type HitResult,
  type WindowOutcome,
  type WindowSpec,
} from './sliding-window.js';

/**
 * Per-key counters packed in one growing Uint32Array: a key costs its Map entry (the key
 * string and a slot number) and `stride` 32-bit cells. An array of objects per key, as
 * before, measured ~330 B per key with two windows; this layout ~130 B (bench/gateway).
 * 32 bits hold every count and every window index up to the year 2106 for one-second
 * windows.
 *
 * @example
 * const table = new CounterTable(6);
 * const at = table.slot('route:ip:10.0.0.1'); // cells table.data[at] .. table.data[at + 5]
 */
export class CounterTable {
  #slots = new Map<string, number>();
  #free: number[] = [];
  #used = 0;
  data: Uint32Array;

  constructor(
    readonly stride: number,
    initialKeys = 64,
  ) {
    this.data = new Uint32Array(stride * initialKeys);
  }

  get size(): number {
    return this.#slots.size;
  }

  /** Offset of the key's first cell in `data`, or -1 when the key has none. */
  find(key: string): number {
    return this.#slots.get(key) ?? -1;
  }

  /** Offset of the key's first cell, making zeroed cells for a new key. */
  slot(key: string): number {
    const found = this.#slots.get(key);
    if (found !== undefined) return found;
    let at = this.#free.pop();
    if (at === undefined) {
      at = this.#used;
      this.#used += this.stride;
      if (this.#used > this.data.length) {
        const grown = new Uint32Array(Math.max(this.data.length * 2, this.#used));
        grown.set(this.data);
        this.data = grown;
      }
    } else {
      this.data.fill(0, at, at + this.stride);
    }
    this.#slots.set(key, at);
    return at;
  }

  /** Drops every key for which `done(offset)` is true; its cells are reused by the next new key. */
  sweep(done: (at: number) => boolean): void {
    for (const [key, at] of this.#slots) {
      if (!done(at)) continue;
      this.#slots.delete(key);
      this.#free.push(at);
    }
  }
}

/**
 * One table per number of windows a limit has (1 to 4), each row `perWindow` cells per window
 * plus `extra` cells of the key's own.
 */
export class CounterTables {
  readonly #tables: CounterTable[] = [];

  constructor(
    private readonly perWindow: number,
    private readonly extra: number,
  ) {}

  /** The table for keys limited by `windows` windows. */
  for(windows: number): CounterTable {
    let table = this.#tables[windows];
    if (!table) {
      table = new CounterTable(windows * this.perWindow + this.extra);
      this.#tables[windows] = table;
    }
    return table;
  }

  get size(): number {
    let n = 0;
    for (const t of this.#tables) if (t) n += t.size;
    return n;
  }

  /** Sweeps every table; `done` gets the table and the offset of the key's first extra cell. */
  sweep(done: (data: Uint32Array, extraAt: number) => boolean): void {
    for (const table of this.#tables) {
      if (!table) continue;
      const first = table.stride - this.extra;
      table.sweep((at) => done(table.data, at + first));
    }
  }
}

/** A window's first three cells: its index, its count, the previous window's count. */
export const INDEX = 0;
export const CURR = 1;
export const PREV = 2;

/**
 * Rolls each window of the row at `at` to `now`, decides whether one more hit fits in every
 * window (a refused hit counts in none) and counts it. Each window has `perWindow` cells:
 * INDEX, CURR, PREV, then the caller's own, zeroed when the window turns.
 */
export function hitRow(
  d: Uint32Array,
  at: number,
  perWindow: number,
  windows: readonly WindowSpec[],
  now: number,
): HitResult {
  const n = windows.length;
  let allowed = true;
  for (let i = 0; i < n; i++) {
    const spec = windows[i]!;
    const o = at + i * perWindow;
    const index = Math.floor(now / spec.windowMs);
    if (d[o + INDEX] !== index) {
      // A new window: the count of the one just over weighs in; an older one does not.
      const prev = d[o + INDEX] === index - 1 ? d[o + CURR]! : 0;
      d.fill(0, o + CURR, o + perWindow);
      d[o + PREV] = prev;
      d[o + INDEX] = index;
    }
    if (!fits(d[o + PREV]!, d[o + CURR]!, now - index * spec.windowMs, spec)) allowed = false;
  }
  const outcomes: WindowOutcome[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const spec = windows[i]!;
    const o = at + i * perWindow;
    if (allowed) d[o + CURR]!++;
    outcomes[i] = describeWindow(d[o + PREV]!, d[o + CURR]!, now - d[o + INDEX]! * spec.windowMs, spec);
  }
  return { allowed, windows: outcomes };
}
