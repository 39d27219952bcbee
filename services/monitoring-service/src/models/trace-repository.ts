import { type Kysely, type Selectable, sql } from 'kysely';
import type { ReceivedSpan } from '../services/traces/otlp-decoder.js';
import { fromJson, type MonitoringDB, type TracesTable } from './db.js';

export interface TraceRow {
  traceId: string;
  rootService: string;
  rootName: string;
  startMs: number;
  endMs: number;
  spanCount: number;
  error: boolean;
  services: string[];
  requestId: string | null;
}

export interface TraceFilter {
  service?: string | undefined;
  operation?: string | undefined;
  minDurationMs?: number | undefined;
  status?: 'ok' | 'error' | undefined;
  requestId?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  limit: number;
  offset: number;
}

/** The spans of one trace arriving in one export, with what the trace row learns from them. */
export interface TraceBatch {
  traceId: string;
  spans: ReceivedSpan[];
  bytes: number[];
}

export interface TraceRepository {
  /** Stores spans not seen before and folds them into their trace's row; returns how many were new. */
  ingest(batch: TraceBatch, slowMs: number): Promise<number>;
  /** One page of the traces that match, newest first, and how many match in all. */
  list(filter: TraceFilter): Promise<{ items: TraceRow[]; total: number }>;
  get(traceId: string): Promise<{ trace: TraceRow; spans: ReceivedSpan[] } | undefined>;
  totals(): Promise<{ traces: number; bytes: number }>;
  /** Deletes the `count` least worth keeping: no error and not slow first, oldest first. */
  evictCount(count: number): Promise<number>;
  /** Deletes the least worth keeping until at least `bytes` are freed. */
  evictBytes(bytes: number): Promise<number>;
}

const COLUMNS = [
  'trace_id',
  'root_service',
  'root_name',
  'first_service',
  'first_name',
  'start_ms',
  'end_ms',
  'span_count',
  'error',
  'services',
  'request_id',
] as const;

type Row = Pick<Selectable<TracesTable>, (typeof COLUMNS)[number]>;

const toTrace = (r: Row): TraceRow => ({
  traceId: r.trace_id,
  rootService: r.root_service ?? r.first_service,
  rootName: r.root_name ?? r.first_name,
  startMs: Number(r.start_ms),
  endMs: Number(r.end_ms),
  spanCount: Number(r.span_count),
  error: r.error,
  services: r.services,
  requestId: r.request_id,
});

export function createTraceRepository(db: Kysely<MonitoringDB>): TraceRepository {
  async function deleteTraces(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    await db.deleteFrom('monitoring_trace_spans').where('trace_id', 'in', ids).execute();
    const res = await db.deleteFrom('monitoring_traces').where('trace_id', 'in', ids).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  return {
    async ingest({ traceId, spans, bytes }, slowMs) {
      const inserted = await db
        .insertInto('monitoring_trace_spans')
        .values(
          spans.map((s) => ({
            trace_id: traceId,
            span_id: s.spanId,
            parent_span_id: s.parentSpanId,
            service: s.service,
            name: s.name,
            kind: s.kind,
            start_ms: s.startMs,
            duration_ms: s.durationMs,
            status: s.status,
            status_message: s.statusMessage,
            attributes: JSON.stringify(s.attributes),
            events: JSON.stringify(s.events),
          })),
        )
        .onConflict((oc) => oc.columns(['trace_id', 'span_id']).doNothing())
        .returning('span_id')
        .execute();
      if (inserted.length === 0) return 0;
      const fresh = new Set(inserted.map((r) => r.span_id));
      const kept = spans.filter((s) => fresh.has(s.spanId));
      const size = spans.reduce((sum, s, i) => (fresh.has(s.spanId) ? sum + bytes[i]! : sum), 0);
      const first = kept.reduce((a, b) => (b.startMs < a.startMs ? b : a));
      const root = kept.find((s) => s.parentSpanId === null);
      // The trace's request id is its entry request's (the root span's); until the root arrives,
      // the earliest span's. Other services' own request ids stay findable through their spans.
      const idOf = (span: ReceivedSpan | undefined) => {
        const v = span?.attributes['opsmesh.request_id'];
        return typeof v === 'string' ? v : undefined;
      };
      const requestId = idOf(root) ?? idOf(first);
      const t = 'monitoring_traces';
      const start = sql<number>`least(${sql.ref(`${t}.start_ms`)}, excluded.start_ms)`;
      const end = sql<number>`greatest(${sql.ref(`${t}.end_ms`)}, excluded.end_ms)`;
      const error = kept.some((s) => s.status === 'error');
      const startMs = first.startMs;
      const endMs = Math.max(...kept.map((s) => s.startMs + s.durationMs));
      await db
        .insertInto(t)
        .values({
          trace_id: traceId,
          root_service: root?.service ?? null,
          root_name: root?.name ?? null,
          first_service: first.service,
          first_name: first.name,
          start_ms: startMs,
          end_ms: endMs,
          span_count: kept.length,
          error,
          bytes: size,
          services: [...new Set(kept.map((s) => s.service))].sort(),
          request_id: requestId ?? null,
          priority: error ? 2 : endMs - startMs >= slowMs ? 1 : 0,
        })
        .onConflict((oc) =>
          oc.column('trace_id').doUpdateSet({
            root_service: sql`coalesce(excluded.root_service, ${sql.ref(`${t}.root_service`)})`,
            root_name: sql`coalesce(excluded.root_name, ${sql.ref(`${t}.root_name`)})`,
            first_service: sql`case when excluded.start_ms < ${sql.ref(`${t}.start_ms`)} then excluded.first_service else ${sql.ref(`${t}.first_service`)} end`,
            first_name: sql`case when excluded.start_ms < ${sql.ref(`${t}.start_ms`)} then excluded.first_name else ${sql.ref(`${t}.first_name`)} end`,
            start_ms: start,
            end_ms: end,
            span_count: sql`${sql.ref(`${t}.span_count`)} + excluded.span_count`,
            error: sql`${sql.ref(`${t}.error`)} or excluded.error`,
            bytes: sql`${sql.ref(`${t}.bytes`)} + excluded.bytes`,
            services: sql`array(select distinct unnest(${sql.ref(`${t}.services`)} || excluded.services) order by 1)`,
            request_id: sql`case when excluded.root_service is not null then coalesce(excluded.request_id, ${sql.ref(`${t}.request_id`)}) else coalesce(${sql.ref(`${t}.request_id`)}, excluded.request_id) end`,
            priority: sql`case when ${sql.ref(`${t}.error`)} or excluded.error then 2 when ${end} - ${start} >= ${slowMs} then 1 else 0 end`,
          }),
        )
        .execute();
      return inserted.length;
    },

    async list(f) {
      let q = db.selectFrom('monitoring_traces');
      if (f.service) q = q.where(sql<boolean>`${f.service} = any(services)`);
      if (f.operation) {
        const op = f.operation;
        q = q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('monitoring_trace_spans as s')
              .select(sql`1`.as('one'))
              .whereRef('s.trace_id', '=', 'monitoring_traces.trace_id')
              .where('s.name', '=', op),
          ),
        );
      }
      if (f.minDurationMs !== undefined) q = q.where(sql<boolean>`end_ms - start_ms >= ${f.minDurationMs}`);
      if (f.status) q = q.where('error', '=', f.status === 'error');
      if (f.requestId) {
        // Any span's request id: the gateway's, or one a service gave a call that carried none.
        const id = f.requestId;
        q = q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('monitoring_trace_spans as r')
              .select(sql`1`.as('one'))
              .whereRef('r.trace_id', '=', 'monitoring_traces.trace_id')
              .where(sql<string>`r.attributes->>'opsmesh.request_id'`, '=', id),
          ),
        );
      }
      if (f.fromMs !== undefined) q = q.where('start_ms', '>=', f.fromMs);
      if (f.toMs !== undefined) q = q.where('start_ms', '<=', f.toMs);
      const [rows, counted] = await Promise.all([
        q
          .select(COLUMNS)
          .orderBy('start_ms', 'desc')
          .orderBy('trace_id')
          .limit(f.limit)
          .offset(f.offset)
          .execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toTrace), total: Number(counted.n) };
    },

    async get(traceId) {
      const row = await db
        .selectFrom('monitoring_traces')
        .select(COLUMNS)
        .where('trace_id', '=', traceId)
        .executeTakeFirst();
      if (!row) return undefined;
      const spans = await db
        .selectFrom('monitoring_trace_spans')
        .selectAll()
        .where('trace_id', '=', traceId)
        .orderBy('start_ms')
        .execute();
      return {
        trace: toTrace(row),
        spans: spans.map((s) => ({
          traceId: s.trace_id,
          spanId: s.span_id,
          parentSpanId: s.parent_span_id,
          service: s.service,
          name: s.name,
          kind: Number(s.kind),
          startMs: Number(s.start_ms),
          durationMs: Number(s.duration_ms),
          status: s.status as ReceivedSpan['status'],
          statusMessage: s.status_message,
          attributes: fromJson(s.attributes),
          events: fromJson(s.events),
        })),
      };
    },

    async totals() {
      const row = await db
        .selectFrom('monitoring_traces')
        .select([
          sql<number>`count(*)::int`.as('traces'),
          sql<number>`coalesce(sum(bytes), 0)::bigint`.as('bytes'),
        ])
        .executeTakeFirstOrThrow();
      return { traces: Number(row.traces), bytes: Number(row.bytes) };
    },

    async evictCount(count) {
      const victims = await db
        .selectFrom('monitoring_traces')
        .select('trace_id')
        .orderBy('priority')
        .orderBy('start_ms')
        .limit(count)
        .execute();
      return deleteTraces(victims.map((v) => v.trace_id));
    },

    async evictBytes(bytes) {
      const victims = await db
        .selectFrom(
          db
            .selectFrom('monitoring_traces')
            .select([
              'trace_id',
              sql<number>`sum(bytes) over (order by priority, start_ms rows unbounded preceding) - bytes`.as(
                'before',
              ),
            ])
            .as('ranked'),
        )
        .select('trace_id')
        .where('before', '<', bytes)
        .execute();
      return deleteTraces(victims.map((v) => v.trace_id));
    },
  };
}
