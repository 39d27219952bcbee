import type { LabelPairs } from './label-pairs.js';

export interface StoredSeries {
  readonly id: number;
  readonly name: string;
  /** All labels including the target's, without `__name__`, as sorted interned pairs. */
  readonly pairs: LabelPairs;
  readonly hash: number;
  readonly group: ScrapeGroup;
  /** The rows of the chunk holding this series' values (one per ring slot), and its column. */
  readonly chunk: Chunk;
  readonly col: number;
  /** First scrape sequence of this series; older slots of its column belong to no one. */
  readonly bornSeq: number;
  lastSeq: number;
}

export interface WindowSlots {
  length: number;
  slots: number[];
  seqs: number[];
  times: number[];
}

/** Series per value chunk: a row is 2 KiB. */
export const CHUNK_SERIES = 256;

/** One Float64Array row per ring slot, allocated when the slot is first written. */
export type Chunk = Array<Float64Array | undefined>;

export class ScrapeGroup {
  readonly timestamps: Float64Array;
  /** Slot of the newest scrape; -1 before the first. */
  head = -1;
  count = 0;
  /** Scrape sequence number, increased on every begin(). */
  seq = 0;
  readonly series: StoredSeries[] = [];
  /** Raw `name{...}` text as exposed by the target → series, the scrape cache. */
  readonly cache = new Map<string, StoredSeries>();
  /**
   * The series in the order the target listed them last time, with their raw text. Targets
   * list their series in the same order every scrape, so a line is first compared in place
   * with the entry at its position: no substring, no hashing, no map lookup.
   */
  readonly order: Array<{ raw: string; series: StoredSeries }> = [];
  /** Columns of dropped series, reused before a new chunk is cut. */
  private readonly freeColumns: Array<{ chunk: Chunk; col: number }> = [];
  readonly chunks: Chunk[] = [];
  private chunkUsed = CHUNK_SERIES;

  constructor(
    readonly key: string,
    readonly capacity: number,
  ) {
    this.timestamps = new Float64Array(capacity);
  }

  /** A free column for a new series: a dropped series' column, or the next of a chunk. */
  allocColumn(): { chunk: Chunk; col: number } {
    const reused = this.freeColumns.pop();
    if (reused) return reused;
    if (this.chunkUsed === CHUNK_SERIES) {
      const chunk: Chunk = new Array(this.capacity).fill(undefined);
      // The current slot's row must exist: the new series is written in this scrape.
      if (this.head >= 0) chunk[this.head] = new Float64Array(CHUNK_SERIES);
      this.chunks.push(chunk);
      this.chunkUsed = 0;
    }
    return { chunk: this.chunks[this.chunks.length - 1]!, col: this.chunkUsed++ };
  }

  freeColumn(chunk: Chunk, col: number): void {
    this.freeColumns.push({ chunk, col });
  }

  /** Makes sure every chunk has a row for `slot` before a scrape writes into it. */
  ensureRows(slot: number): void {
    for (const chunk of this.chunks)
      if (chunk[slot] === undefined) chunk[slot] = new Float64Array(CHUNK_SERIES);
  }

  /** Bytes of value rows allocated so far. */
  rowBytes(): number {
    let n = 0;
    for (const chunk of this.chunks) for (const row of chunk) if (row) n += row.byteLength;
    return n;
  }

  /** The value of a series in a slot whose scrape sequence is `slotSeq`; NaN when absent. */
  valueAt(s: StoredSeries, slot: number, slotSeq: number): number {
    if (slotSeq < s.bornSeq) return Number.NaN;
    const row = s.chunk[slot];
    return row === undefined ? Number.NaN : row[s.col]!;
  }

  private cachedWindow: WindowSlots & { from: number; to: number; seq: number } = {
    from: 0,
    to: -1,
    seq: -1,
    length: 0,
    slots: [],
    seqs: [],
    times: [],
  };

  /** The ring slots whose timestamps fall in [from, to], oldest first; cached per scrape. */
  window(fromMs: number, toMs: number): WindowSlots {
    const c = this.cachedWindow;
    if (c.from === fromMs && c.to === toMs && c.seq === this.seq) return c;
    c.from = fromMs;
    c.to = toMs;
    c.seq = this.seq;
    c.length = 0;
    const cap = this.capacity;
    const firstSeq = this.seq - this.count + 1;
    for (let k = 0; k < this.count; k++) {
      const slot = (this.head - this.count + 1 + k + cap) % cap;
      const t = this.timestamps[slot]!;
      if (t < fromMs) continue;
      if (t > toMs) break;
      c.slots[c.length] = slot;
      c.seqs[c.length] = firstSeq + k;
      c.times[c.length] = t;
      c.length++;
    }
    return c;
  }

  /** Calls fn(slot, t, seq) for each slot whose timestamp is within [from, to], oldest first. */
  slotsBetween(fromMs: number, toMs: number, fn: (slot: number, t: number, seq: number) => void): void {
    const cap = this.capacity;
    const firstSeq = this.seq - this.count + 1;
    for (let k = 0; k < this.count; k++) {
      const slot = (this.head - this.count + 1 + k + cap) % cap;
      const t = this.timestamps[slot]!;
      if (t < fromMs) continue;
      if (t > toMs) break;
      fn(slot, t, firstSeq + k);
    }
  }
}
