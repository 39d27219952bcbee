import type { Kysely, Selectable } from 'kysely';
import type { AliasHistoryTable, MlDatabase } from './db.js';
import { newId } from './ids.js';

/** Aliases (name -> version) and the history of every move, for audit and rollback. */

export interface AliasRecord {
  alias: string;
  versionId: string;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

export interface AliasHistoryRecord {
  id: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  action: 'move' | 'rollback' | 'delete';
  changedBy: string;
  changedAt: Date;
}

function toHistory(row: Selectable<AliasHistoryTable>): AliasHistoryRecord {
  return {
    id: row.id,
    alias: row.alias,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    action: row.action,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at),
  };
}

export function createAliasRepository(db: Kysely<MlDatabase>) {
  const base = () =>
    db
      .selectFrom('ml_aliases as a')
      .innerJoin('ml_model_versions as v', 'v.id', 'a.version_id')
      .select(['a.alias', 'a.version_id', 'v.version', 'a.updated_by', 'a.updated_at']);
  const map = (r: {
    alias: string;
    version_id: string;
    version: number;
    updated_by: string;
    updated_at: Date | string;
  }) => ({
    alias: r.alias,
    versionId: r.version_id,
    version: Number(r.version),
    updatedBy: r.updated_by,
    updatedAt: new Date(r.updated_at),
  });

  return {
    async list(modelId: string): Promise<AliasRecord[]> {
      const rows = await base().where('a.model_id', '=', modelId).orderBy('a.alias').execute();
      return rows.map(map);
    },
    async find(modelId: string, alias: string): Promise<AliasRecord | undefined> {
      const row = await base()
        .where('a.model_id', '=', modelId)
        .where('a.alias', '=', alias)
        .executeTakeFirst();
      return row && map(row);
    },
    async aliasesOfVersion(versionId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('ml_aliases')
        .select('alias')
        .where('version_id', '=', versionId)
        .execute();
      return rows.map((r) => r.alias);
    },
    async upsert(modelId: string, alias: string, versionId: string, by: string): Promise<void> {
      await db
        .insertInto('ml_aliases')
        .values({ model_id: modelId, alias, version_id: versionId, updated_by: by, updated_at: new Date() })
        .onConflict((oc) =>
          oc
            .columns(['model_id', 'alias'])
            .doUpdateSet({ version_id: versionId, updated_by: by, updated_at: new Date() }),
        )
        .execute();
    },
    async delete(modelId: string, alias: string): Promise<void> {
      await db.deleteFrom('ml_aliases').where('model_id', '=', modelId).where('alias', '=', alias).execute();
    },
    async record(
      modelId: string,
      entry: Pick<AliasHistoryRecord, 'alias' | 'fromVersion' | 'toVersion' | 'action' | 'changedBy'>,
    ): Promise<AliasHistoryRecord> {
      const row = await db
        .insertInto('ml_alias_history')
        .values({
          id: newId('alh'),
          model_id: modelId,
          alias: entry.alias,
          from_version: entry.fromVersion,
          to_version: entry.toVersion,
          action: entry.action,
          changed_by: entry.changedBy,
          changed_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toHistory(row);
    },
    /**
     * Deletes history entries older than `before`, except each alias's newest one (what a rollback
     * reads); how many went.
     */
    async purgeHistory(before: Date): Promise<number> {
      const res = await db
        .deleteFrom('ml_alias_history as h')
        .where('h.changed_at', '<', before)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('ml_alias_history as n')
              .select('n.seq')
              .whereRef('n.model_id', '=', 'h.model_id')
              .whereRef('n.alias', '=', 'h.alias')
              .whereRef('n.seq', '>', 'h.seq'),
          ),
        )
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
    /** One page of an alias's history, newest first, and how many entries it holds. */
    async historyPage(
      modelId: string,
      alias: string,
      page: { limit: number; offset: number },
    ): Promise<{ items: AliasHistoryRecord[]; total: number }> {
      const q = db.selectFrom('ml_alias_history').where('model_id', '=', modelId).where('alias', '=', alias);
      const [rows, counted] = await Promise.all([
        q.selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(toHistory), total: Number(counted.n) };
    },
    async history(modelId: string, alias: string, limit: number): Promise<AliasHistoryRecord[]> {
      const rows = await db
        .selectFrom('ml_alias_history')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('alias', '=', alias)
        .orderBy('seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toHistory);
    },
  };
}

export type AliasRepository = ReturnType<typeof createAliasRepository>;
