import type { Trace, TraceListQuery, TraceSpan, TraceSummary } from '@opsmesh/contracts';
import type { TraceRepository, TraceRow } from '../../models/trace-repository.js';
import type { ReceivedSpan } from './otlp-decoder.js';

export interface TraceStoreOptions {
  maxTraces: number;
  maxBytes: number;
  /** A trace at least this long is slow: kept before ordinary ones, after failed ones. */
  slowMs: number;
  now?: () => number;
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

function summary(t: TraceRow): TraceSummary {
  return {
    traceId: t.traceId,
    rootService: t.rootService,
    rootName: t.rootName,
    startedAt: new Date(t.startMs).toISOString(),
    durationMs: Math.round((t.endMs - t.startMs) * 1000) / 1000,
    spanCount: t.spanCount,
    services: t.services,
    status: t.error ? 'error' : 'ok',
    requestId: t.requestId,
  };
}

function present(s: ReceivedSpan, traceStart: number): TraceSpan {
  return {
    spanId: s.spanId,
    parentSpanId: s.parentSpanId,
    service: s.service,
    name: s.name,
    kind: KINDS[s.kind] ?? 'unspecified',
    offsetMs: Math.round((s.startMs - traceStart) * 1000) / 1000,
    durationMs: Math.round(s.durationMs * 1000) / 1000,
    startedAt: new Date(s.startMs).toISOString(),
    status: s.status,
    statusMessage: s.statusMessage,
    attributes: s.attributes,
    events: s.events.map((e) => ({
      name: e.name,
      offsetMs: Math.round((e.timeMs - traceStart) * 1000) / 1000,
      attributes: e.attributes,
    })),
  };
}

/**
 * Recent traces from every service, in the monitoring database so every replica sees the same
 * ones. Bounded by count and bytes: past either bound the traces least worth keeping go first
 * (neither failed nor slow, then slow, then failed; oldest first within each), down to 90% of the
 * bound so eviction does not run on every export.
 *
 * @example
 * await store.receive(decodeOtlpTraces(body, 'application/x-protobuf'));
 * await store.list({ service: 'ml-service', status: 'error' });
 */
export class TraceStore {
  private lastPrune = 0;
  private pruning: Promise<void> | null = null;

  constructor(
    private readonly repo: TraceRepository,
    private readonly options: TraceStoreOptions,
  ) {}

  /** Stores the spans; returns how many were new (a retried export is not stored twice). */
  async receive(spans: ReceivedSpan[]): Promise<number> {
    const byTrace = new Map<string, { spans: ReceivedSpan[]; bytes: number[] }>();
    for (const s of spans) {
      let batch = byTrace.get(s.traceId);
      if (!batch) {
        batch = { spans: [], bytes: [] };
        byTrace.set(s.traceId, batch);
      }
      // The same span twice in one export is stored once.
      if (batch.spans.some((x) => x.spanId === s.spanId)) continue;
      batch.spans.push(s);
      batch.bytes.push(JSON.stringify(s).length);
    }
    let stored = 0;
    for (const [traceId, batch] of byTrace) {
      stored += await this.repo.ingest({ traceId, ...batch }, this.options.slowMs);
    }
    await this.maybePrune();
    return stored;
  }

  /** One page of the traces that match, newest first, and how many match in all. */
  async list(query: TraceListQuery): Promise<{ items: TraceSummary[]; total: number }> {
    const found = await this.repo.list({
      service: query.service,
      operation: query.operation,
      minDurationMs: query.minDurationMs,
      status: query.status,
      requestId: query.requestId,
      fromMs: query.from ? Date.parse(query.from) : undefined,
      toMs: query.to ? Date.parse(query.to) : undefined,
      limit: query.limit ?? 20,
      offset: query.offset ?? 0,
    });
    return { items: found.items.map(summary), total: found.total };
  }

  async get(traceId: string): Promise<Trace | undefined> {
    const found = await this.repo.get(traceId);
    if (!found) return undefined;
    const start = found.trace.startMs;
    return { trace: summary(found.trace), spans: found.spans.map((s) => present(s, start)) };
  }

  /** Applies both bounds now; also run at most once a second after exports. */
  async prune(): Promise<void> {
    const { maxTraces, maxBytes } = this.options;
    const totals = await this.repo.totals();
    if (totals.traces > maxTraces) await this.repo.evictCount(totals.traces - Math.floor(maxTraces * 0.9));
    const after = totals.traces > maxTraces ? await this.repo.totals() : totals;
    if (after.bytes > maxBytes) await this.repo.evictBytes(after.bytes - Math.floor(maxBytes * 0.9));
  }

  private async maybePrune(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    if (this.pruning || now - this.lastPrune < 1000) return;
    this.lastPrune = now;
    this.pruning = this.prune().finally(() => {
      this.pruning = null;
    });
    await this.pruning;
  }
}
