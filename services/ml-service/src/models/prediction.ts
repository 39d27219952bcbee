import type { Kysely, Selectable } from 'kysely';
import type { MlDatabase, PredictionLogTable } from './db.js';
import { newId } from './ids.js';

/** The sampled prediction log: who asked which version what, how fast, and what came back. */

export interface PredictionRecord {
  id: string;
  model: string;
  version: number;
  endpoint: string;
  caller: string;
  requestId: string;
  latencyMs: number;
  rows: number;
  inputSummary: unknown;
  outputs: unknown;
  createdAt: Date;
}

function toRecord(row: Selectable<PredictionLogTable>): PredictionRecord {
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    id: row.id,
    model: row.model_name,
    version: Number(row.version),
    endpoint: row.endpoint,
    caller: row.caller,
    requestId: row.request_id,
    latencyMs: Number(row.latency_ms),
    rows: Number(row.rows),
    inputSummary: json(row.input_summary),
    outputs: json(row.outputs),
    createdAt: new Date(row.created_at),
  };
}

export function createPredictionLogRepository(db: Kysely<MlDatabase>) {
  return {
    async insert(modelId: string, p: Omit<PredictionRecord, 'id' | 'createdAt'>): Promise<void> {
      await db
        .insertInto('ml_prediction_log')
        .values({
          id: newId('prd'),
          model_id: modelId,
          model_name: p.model,
          version: p.version,
          endpoint: p.endpoint,
          caller: p.caller,
          request_id: p.requestId,
          latency_ms: p.latencyMs,
          rows: p.rows,
          input_summary: JSON.stringify(p.inputSummary),
          outputs: JSON.stringify(p.outputs),
          created_at: new Date(),
        })
        .execute();
    },
    /** One page of a model's logged predictions, newest first, and how many there are. */
    async list(
      modelId: string,
      limit: number,
      offset: number,
      version?: number,
    ): Promise<{ items: PredictionRecord[]; total: number }> {
      let q = db.selectFrom('ml_prediction_log').where('model_id', '=', modelId);
      if (version !== undefined) q = q.where('version', '=', version);
      const [rows, counted] = await Promise.all([
        q.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toRecord), total: Number(counted.n) };
    },
  };
}

export type PredictionLogRepository = ReturnType<typeof createPredictionLogRepository>;
