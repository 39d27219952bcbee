import {
  InternPool,
  type LabelPairs,
  pairsEqual,
  pairsToLabels,
  pairValue,
  seriesHash,
} from './label-pairs.js';
import type { Labels } from './labels.js';
import { Postings } from './postings.js';
import { ScrapeGroup, type StoredSeries } from './scrape-group.js';
import { type WindowStats, windowStats } from './window-stats.js';

export { newWindowStats, type WindowStats } from './window-stats.js';

/**
 * A bounded in-memory store of recent samples.
 *
 * Samples arrive per scrape of a target ("group"). A group keeps one ring of timestamps,
 * shared by all its series, and the values in chunks of CHUNK_SERIES series laid out
 * slot-major: a chunk is a ring of rows, a row (Float64Array) holds one value per series of
 * the chunk for one scrape. A scrape writes one contiguous row per chunk, and rows are
 * allocated as the ring first fills, so a new target costs a row, not an hour of ring.
 *
 * That is 8 bytes per sample plus the series' fixed overhead spread over the ring.
 * A series missing from a scrape gets NaN in that slot (a staleness marker, as Prometheus
 * writes), which is why a genuine NaN sample reads back as "absent".
 */

export interface SampleStoreOptions {
  /** Samples kept per series: retention divided by the scrape interval. */
  capacity: number;
  /** Series beyond this are refused (counted in `rejectedSeries`); bounds memory. */
  maxSeries: number;
  /** Samples older than this are not returned and their series are eventually dropped. */
  retentionMs: number;
}

export interface Appender {
  /** Adds a sample to a series seen before under the same raw key; undefined when unknown. */
  addCached(rawKey: string, value: number): StoredSeries | undefined;
  /**
   * Adds a sample to a series not in the scrape cache; `pairs` must be sorted by name
   * (see sortPairs). Undefined when the series cap refuses it or another target owns it.
   */
  addNew(rawKey: string, name: string, pairs: string[], value: number): StoredSeries | undefined;
  /** Adds a sample to a series the caller already holds (the positional fast path). */
  addSeries(s: StoredSeries, value: number): void;
  /** The target's series in the order of its previous exposition (see ScrapeGroup.order). */
  readonly order: ScrapeGroup['order'];
  /** Ends the scrape: series absent from it get a staleness marker. */
  commit(): void;
}

/** Fixed overhead of a series besides its values, used for the memory estimate. */
const SERIES_OVERHEAD_BYTES = 400;

export class SampleStore {
  readonly groups = new Map<string, ScrapeGroup>();
  private readonly postings = new Postings();
  /** Identity hash → series; a hash collision keeps an array. */
  private readonly byHash = new Map<number, StoredSeries | StoredSeries[]>();
  private readonly strings = new InternPool();
  private count = 0;
  private nextId = 1;
  private writes = 0;
  rejectedSeries = 0;

  constructor(readonly options: SampleStoreOptions) {
    if (!(options.capacity >= 2)) throw new RangeError('capacity must be at least 2 samples per series');
    if (!(options.maxSeries >= 1)) throw new RangeError('maxSeries must be at least 1');
  }

  get seriesCount(): number {
    return this.count;
  }

  /**
   * Changes whenever a series is created or dropped, and only then: a series' labels never
   * change, so which series a set of matchers selects holds as long as this does.
   */
  get seriesGeneration(): number {
    return this.postings.generation;
  }

  /** Changes whenever a scrape starts or ends, or a target is dropped: any read may then differ. */
  get sampleGeneration(): number {
    return this.writes;
  }

  /** Labels of a stored series as an object, optionally with `__name__`. */
  labelsOf(s: StoredSeries, withName = false): Labels {
    return pairsToLabels(s.pairs, withName ? s.name : undefined);
  }

  private find(name: string, pairs: LabelPairs, hash: number): StoredSeries | undefined {
    const hit = this.byHash.get(hash);
    if (hit === undefined) return undefined;
    const list = Array.isArray(hit) ? hit : [hit];
    return list.find((s) => s.name === name && pairsEqual(s.pairs, pairs));
  }

  /** Estimated bytes held by samples and series (timestamps shared per group). */
  approxBytes(): number {
    let bytes = 0;
    for (const g of this.groups.values()) bytes += g.timestamps.byteLength + 64;
    for (const g of this.groups.values()) bytes += g.rowBytes();
    return bytes + this.count * SERIES_OVERHEAD_BYTES;
  }

  /** Number of non-stale samples currently held. */
  sampleCount(): number {
    let n = 0;
    for (const g of this.groups.values()) {
      for (const s of g.series) {
        for (let k = 0; k < g.count; k++) {
          const slot = (g.head - k + g.capacity) % g.capacity;
          if (!Number.isNaN(g.valueAt(s, slot, g.seq - k))) n++;
        }
      }
    }
    return n;
  }

  /** Starts a scrape of the group `groupKey` at `timestampMs`. */
  begin(groupKey: string, timestampMs: number): Appender {
    let group = this.groups.get(groupKey);
    if (!group) {
      group = new ScrapeGroup(groupKey, this.options.capacity);
      this.groups.set(groupKey, group);
    }
    const g = group;
    this.writes++;
    const cap = g.capacity;
    const last = g.head >= 0 ? g.timestamps[g.head]! : Number.NEGATIVE_INFINITY;
    g.head = (g.head + 1) % cap;
    g.count = Math.min(g.count + 1, cap);
    // Reads assume ascending timestamps within a group; a clock step back must not break that.
    g.timestamps[g.head] = timestampMs > last ? timestampMs : last + 1;
    const seq = ++g.seq;
    const slot = g.head;
    g.ensureRows(slot);
    return {
      order: g.order,
      addCached: (rawKey, value) => {
        const s = g.cache.get(rawKey);
        if (s === undefined) return undefined;
        s.chunk[slot]![s.col] = value;
        s.lastSeq = seq;
        return s;
      },
      addSeries: (s, value) => {
        s.chunk[slot]![s.col] = value;
        s.lastSeq = seq;
      },
      addNew: (rawKey, name, pairs, value) => {
        for (let i = 0; i < pairs.length; i++) pairs[i] = this.strings.intern(pairs[i]!);
        const metric = this.strings.intern(name);
        const hash = seriesHash(metric, pairs);
        let s = this.find(metric, pairs, hash);
        if (s === undefined || s.group !== g) {
          if (s !== undefined || this.count >= this.options.maxSeries) {
            // Either the cap is reached or another target already owns this identity.
            this.rejectedSeries++;
            return undefined;
          }
          s = this.createSeries(g, metric, pairs, hash, seq);
        }
        g.cache.set(rawKey, s);
        s.chunk[slot]![s.col] = value;
        s.lastSeq = seq;
        return s;
      },
      commit: () => this.commit(g, seq, slot),
    };
  }

  private createSeries(
    g: ScrapeGroup,
    name: string,
    pairs: LabelPairs,
    hash: number,
    seq: number,
  ): StoredSeries {
    const { chunk, col } = g.allocColumn();
    const s: StoredSeries = {
      id: this.nextId++,
      name,
      pairs,
      hash,
      group: g,
      chunk,
      col,
      bornSeq: seq,
      lastSeq: 0,
    };
    g.series.push(s);
    const hit = this.byHash.get(hash);
    if (hit === undefined) this.byHash.set(hash, s);
    else if (Array.isArray(hit)) hit.push(s);
    else this.byHash.set(hash, [hit, s]);
    this.count++;
    this.postings.add(s);
    return s;
  }

  private commit(g: ScrapeGroup, seq: number, slot: number): void {
    this.writes++;
    let dropped = false;
    for (const s of g.series) {
      if (s.lastSeq === seq) continue;
      s.chunk[slot]![s.col] = Number.NaN;
      // Absent for a whole ring: nothing of it is left to read.
      if (seq - s.lastSeq >= g.capacity) dropped = true;
    }
    if (dropped) this.dropStale(g, seq);
  }

  private dropStale(g: ScrapeGroup, seq: number): void {
    const keep: StoredSeries[] = [];
    const gone: StoredSeries[] = [];
    for (const s of g.series) {
      if (seq - s.lastSeq >= g.capacity) {
        this.forget(s);
        gone.push(s);
        g.freeColumn(s.chunk, s.col);
      } else keep.push(s);
    }
    this.postings.removeMany(gone);
    g.series.length = 0;
    g.series.push(...keep);
    const live = new Set(keep);
    for (const [raw, s] of g.cache) if (!live.has(s)) g.cache.delete(raw);
    g.order.length = 0;
  }

  private forget(s: StoredSeries): void {
    const hit = this.byHash.get(s.hash);
    if (hit === s) this.byHash.delete(s.hash);
    else if (Array.isArray(hit)) {
      const rest = hit.filter((x) => x !== s);
      if (rest.length === 1) this.byHash.set(s.hash, rest[0]!);
      else this.byHash.set(s.hash, rest);
    }
    this.count--;
  }

  /** Removes a target and all its series, e.g. when discovery no longer lists it. */
  dropGroup(groupKey: string): void {
    const g = this.groups.get(groupKey);
    if (!g) return;
    this.writes++;
    for (const s of g.series) this.forget(s);
    this.postings.removeMany(g.series);
    this.groups.delete(groupKey);
  }

  /**
   * The series having all of `equalities`: the smallest postings set is scanned (all series
   * when there is no equality).
   */
  candidates(equalities: ReadonlyArray<readonly [name: string, value: string]>): readonly StoredSeries[] {
    let smallest: readonly StoredSeries[] | undefined;
    let from = -1;
    for (let i = 0; i < equalities.length; i++) {
      const [name, value] = equalities[i]!;
      const set = this.postings.get(name, value);
      if (set === undefined) return [];
      if (smallest === undefined || set.length < smallest.length) {
        smallest = set;
        from = i;
      }
    }
    if (smallest === undefined) return [...this.groups.values()].flatMap((g) => g.series);
    // The other equalities are checked on the series itself: interned strings compare by
    // pointer, which beats membership tests in large sets.
    const out: StoredSeries[] = [];
    outer: for (const s of smallest) {
      for (let i = 0; i < equalities.length; i++) {
        if (i === from) continue; // true of every member of `smallest`
        const [name, value] = equalities[i]!;
        if (name === '__name__') {
          if (s.name !== value) continue outer;
        } else if (pairValue(s.pairs, name) !== value) continue outer;
      }
      out.push(s);
    }
    return out;
  }

  metricNames(): string[] {
    return this.postings.values('__name__');
  }

  labelValues(name: string): string[] {
    return this.postings.values(name);
  }

  /**
   * Calls fn(t, v) for each present sample of a series within [from, to], oldest first.
   */
  forEachSample(s: StoredSeries, fromMs: number, toMs: number, fn: (t: number, v: number) => void): void {
    const g = s.group;
    g.slotsBetween(fromMs, toMs, (slot, t, seq) => {
      const v = g.valueAt(s, slot, seq);
      if (!Number.isNaN(v)) fn(t, v);
    });
  }

  /** See windowStats(): one pass over a series' samples in [from, to]. */
  windowStats(s: StoredSeries, fromMs: number, toMs: number, out: WindowStats): WindowStats {
    return windowStats(s, fromMs, toMs, out);
  }

  /** The newest present sample at or before `atMs`, no older than `lookbackMs`. */
  latest(s: StoredSeries, atMs: number, lookbackMs: number): { t: number; v: number } | undefined {
    const g = s.group;
    const floor = Math.max(atMs - lookbackMs, atMs - this.options.retentionMs);
    for (let k = 0; k < g.count; k++) {
      const slot = (g.head - k + g.capacity) % g.capacity;
      const t = g.timestamps[slot]!;
      if (t > atMs) continue;
      if (t < floor) return undefined;
      const v = g.valueAt(s, slot, g.seq - k);
      // A staleness marker ends the series, as in Prometheus: older samples do not count.
      return Number.isNaN(v) ? undefined : { t, v };
    }
    return undefined;
  }
}
