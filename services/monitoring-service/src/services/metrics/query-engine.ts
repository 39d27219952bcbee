import { pairsToLabels, pairValue } from './label-pairs.js';
import type { Labels } from './labels.js';
import { type CompiledMatcher, compileMatcher, type Matcher, matchesPairs } from './matchers.js';
import { extrapolatedDelta, type VectorSample } from './query-functions.js';
import { newWindowStats, type SampleStore } from './sample-store.js';
import type { StoredSeries } from './scrape-group.js';

export interface RangeSeries {
  labels: Labels;
  points: Array<[timestampMs: number, value: number]>;
}

/** The range functions answered from one pass of window statistics, without reading points. */
export type WindowFunction =
  | 'rate'
  | 'increase'
  | 'delta'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'sum_over_time'
  | 'count_over_time';

export const WINDOW_FUNCTIONS: ReadonlySet<string> = new Set<WindowFunction>([
  'rate',
  'increase',
  'delta',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
]);

/**
 * A vector sample of a stored series whose label object is only built when read: most
 * results of a rate() are summed by one or two labels and never need the full set.
 */
export class SeriesSample implements VectorSample {
  private built: Labels | undefined;

  constructor(
    readonly series: StoredSeries,
    public value: number,
  ) {}

  get labels(): Labels {
    this.built ??= pairsToLabels(this.series.pairs);
    return this.built;
  }

  label(name: string): string | undefined {
    return pairValue(this.series.pairs, name);
  }
}

/**
 * One sample object refilled with each series of a window pass (see QueryEngine.windowValues):
 * its labels, without `__name__`, are built afresh whenever read.
 */
class SeriesCursor implements VectorSample {
  series!: StoredSeries;
  value = 0;

  get labels(): Labels {
    return pairsToLabels(this.series.pairs);
  }

  label(name: string): string | undefined {
    return pairValue(this.series.pairs, name);
  }
}

const MAX_SELECTIONS = 10_000;
/** About 4 MB of references at most. */
const MAX_SELECTED_SERIES = 500_000;

/** Samples of one instant's range-function results kept for reuse (some 40 bytes each). */
const MAX_WINDOW_RESULT_SAMPLES = 200_000;

/** One text per set of matchers, unambiguous whatever a value holds (its length comes first). */
function selectionKey(matchers: readonly Matcher[]): string {
  let key = '';
  for (const m of matchers) key += `${m.name}${m.op}${m.value.length}:${m.value},`;
  return key;
}

export interface QueryEngineOptions {
  /** How far back an instant read looks for the newest sample (Prometheus: 5m). */
  lookbackMs: number;
}

/**
 * Reads over the sample store: series by matchers, instant and range reads, and the range
 * functions the golden signals and rules need (`rate`, `increase`, `*_over_time`).
 */
export class QueryEngine {
  /** Compiled matchers by text: rules and signals ask the same questions every cycle. */
  private readonly matcherCache = new Map<string, CompiledMatcher>();
  private readonly stats = newWindowStats();
  /**
   * The series each set of matchers selected, by selectionKey, for one series generation of the
   * store: 1,000 rules over 100,000 series spent a third of their evaluation finding the same
   * series again every cycle (postings scan and label checks); with this a cycle that creates
   * or drops no series finds each selection once. Emptied when the generation moves, so a
   * dropped series is not kept alive here.
   */
  private readonly selections = new Map<string, readonly StoredSeries[]>();
  private selectionsGeneration = -1;
  /** Series references held in `selections`: bounds its memory (8 bytes each). */
  private selectionsHeld = 0;
  /** selectionKey of a matcher list, by the list: a parsed rule asks with the same list each cycle. */
  private readonly selectionKeys = new WeakMap<readonly Matcher[], string>();
  /**
   * Range-function results at one instant, by function, window and selection, while the store
   * takes no sample: the rules of one cycle ask the same rate() several times (a request-rate
   * rule, an error ratio and a burn rate all read `rate(http_requests_total{service="x"}[5m])`).
   * Only the latest instant is kept; the samples are shared, never changed.
   */
  private readonly windowResults = new Map<string, VectorSample[]>();
  private windowResultsAt = Number.NaN;
  private windowResultsGeneration = -1;
  private windowResultsHeld = 0;

  constructor(
    private readonly store: SampleStore,
    private readonly options: QueryEngineOptions,
  ) {}

  /** Changes whenever a read may answer differently: a scrape started or ended, a target went. */
  version(): number {
    return this.store.sampleGeneration;
  }

  private compiled(m: Matcher): CompiledMatcher {
    const key = m.name + m.op + m.value;
    let c = this.matcherCache.get(key);
    if (c === undefined) {
      if (this.matcherCache.size >= 10_000) this.matcherCache.clear();
      c = compileMatcher(m);
      this.matcherCache.set(key, c);
    }
    return c;
  }

  /** The stored series every matcher accepts. The array is shared: read it, never change it. */
  select(matchers: readonly Matcher[]): readonly StoredSeries[] {
    const generation = this.store.seriesGeneration;
    if (generation !== this.selectionsGeneration) {
      this.selections.clear();
      this.selectionsHeld = 0;
      this.selectionsGeneration = generation;
    }
    const key = this.selectionKeyOf(matchers);
    let found = this.selections.get(key);
    if (found === undefined) {
      found = this.lookup(matchers);
      if (
        this.selections.size >= MAX_SELECTIONS ||
        this.selectionsHeld + found.length > MAX_SELECTED_SERIES
      ) {
        this.selections.clear();
        this.selectionsHeld = 0;
      }
      this.selections.set(key, found);
      this.selectionsHeld += found.length;
    }
    return found;
  }

  private selectionKeyOf(matchers: readonly Matcher[]): string {
    let key = this.selectionKeys.get(matchers);
    if (key === undefined) {
      key = selectionKey(matchers);
      this.selectionKeys.set(matchers, key);
    }
    return key;
  }

  private lookup(matchers: readonly Matcher[]): readonly StoredSeries[] {
    const rest: CompiledMatcher[] = [];
    const equalities: Array<[string, string]> = [];
    for (const m of matchers) {
      // Equality on a non-empty value is fully answered by the postings intersection.
      if (m.op === '=' && m.value !== '') equalities.push([m.name, m.value]);
      else rest.push(this.compiled(m));
    }
    const candidates = this.store.candidates(equalities);
    if (rest.length === 0) return candidates;
    return candidates.filter((s) => matchesPairs(s.name, s.pairs, rest));
  }

  /** The newest value of each matching series at `atMs` (labels include `__name__`). */
  instant(matchers: readonly Matcher[], atMs: number): VectorSample[] {
    const out: VectorSample[] = [];
    for (const s of this.select(matchers)) {
      const p = this.store.latest(s, atMs, this.options.lookbackMs);
      if (p) out.push({ labels: this.store.labelsOf(s, true), value: p.v });
    }
    return out;
  }

  /** Raw samples of each matching series within [start, end]. */
  range(matchers: readonly Matcher[], startMs: number, endMs: number): RangeSeries[] {
    const out: RangeSeries[] = [];
    const from = Math.max(startMs, endMs - this.store.options.retentionMs);
    for (const s of this.select(matchers)) {
      const points: Array<[number, number]> = [];
      this.store.forEachSample(s, from, endMs, (t, v) => points.push([t, v]));
      if (points.length > 0) out.push({ labels: this.store.labelsOf(s, true), points });
    }
    return out;
  }

  /** `rate(selector[window])` at `atMs`, per series, without `__name__`. */
  rate(matchers: readonly Matcher[], windowMs: number, atMs: number): VectorSample[] {
    return this.windowFunction('rate', matchers, windowMs, atMs);
  }

  /**
   * A range function over the window (atMs - windowMs, atMs] of each matching series, without
   * `__name__`, from window statistics: no point is copied and labels are built only when read.
   */
  windowFunction(
    fn: WindowFunction,
    matchers: readonly Matcher[],
    windowMs: number,
    atMs: number,
  ): VectorSample[] {
    const series = this.select(matchers);
    const generation = this.store.sampleGeneration;
    if (atMs !== this.windowResultsAt || generation !== this.windowResultsGeneration) {
      this.windowResults.clear();
      this.windowResultsHeld = 0;
      this.windowResultsAt = atMs;
      this.windowResultsGeneration = generation;
    }
    const key = `${fn} ${windowMs} ${this.selectionKeyOf(matchers)}`;
    const known = this.windowResults.get(key);
    if (known !== undefined) return known;
    const out: VectorSample[] = [];
    this.eachWindowValue(fn, series, windowMs, atMs, (s, value) => out.push(new SeriesSample(s, value)));
    if (this.windowResultsHeld + out.length <= MAX_WINDOW_RESULT_SAMPLES) {
      this.windowResults.set(key, out);
      this.windowResultsHeld += out.length;
    }
    return out;
  }

  /**
   * windowFunction() without a result vector: `visit` gets each series' value in one sample
   * object refilled for every series (read it during the call, keep nothing of it), so an
   * aggregation over a rate() allocates nothing per series. Not kept for reuse: the caller
   * keeps what it made of the values.
   */
  windowValues(
    fn: WindowFunction,
    matchers: readonly Matcher[],
    windowMs: number,
    atMs: number,
    visit: (sample: VectorSample) => void,
  ): void {
    const cursor = new SeriesCursor();
    this.eachWindowValue(fn, this.select(matchers), windowMs, atMs, (s, value) => {
      cursor.series = s;
      cursor.value = value;
      visit(cursor);
    });
  }

  /** The value of `fn` over (atMs - windowMs, atMs] of each series that has one, in order. */
  private eachWindowValue(
    fn: WindowFunction,
    series: readonly StoredSeries[],
    windowMs: number,
    atMs: number,
    visit: (s: StoredSeries, value: number) => void,
  ): void {
    const start = atMs - windowMs;
    for (let i = 0; i < series.length; i++) {
      const s = series[i]!;
      const w = this.store.windowStats(s, start + 1, atMs, this.stats);
      let value: number | undefined;
      if (fn === 'rate' || fn === 'increase' || fn === 'delta')
        value = extrapolatedDelta(w, start, atMs, fn !== 'delta', fn === 'rate');
      else if (w.n > 0)
        value =
          fn === 'avg_over_time'
            ? w.sum / w.n
            : fn === 'min_over_time'
              ? w.min
              : fn === 'max_over_time'
                ? w.max
                : fn === 'sum_over_time'
                  ? w.sum
                  : w.n;
      if (value !== undefined) visit(s, value);
    }
  }

  /** `avg_over_time(selector[window])` at `atMs`, per series, without `__name__`. */
  avgOverTime(matchers: readonly Matcher[], windowMs: number, atMs: number): VectorSample[] {
    return this.windowFunction('avg_over_time', matchers, windowMs, atMs);
  }
}
