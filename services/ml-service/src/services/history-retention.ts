import { type Database, newId, startLeasedJob } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import { createAliasRepository } from '../models/alias-repository.js';
import type { MlDatabase } from '../models/db.js';

/** How often the holder of the retention lease purges. */
const PURGE_EVERY_MS = 3_600_000;

/**
 * Deletes alias history older than `days` (ML_ALIAS_HISTORY_RETENTION_DAYS), keeping each alias's
 * newest move: every move of every alias was kept forever. One replica purges, under a lease.
 */
export function startHistoryRetention(database: Database<MlDatabase>, days: number, log: FastifyBaseLogger) {
  const aliases = createAliasRepository(database.db);
  return startLeasedJob(database, 'ml-alias-history-retention', {
    holder: process.env['OPSMESH_INSTANCE_ID'] || newId('ins'),
    everyMs: PURGE_EVERY_MS,
    work: async () => {
      const deleted = await aliases.purgeHistory(new Date(Date.now() - days * 86_400_000));
      if (deleted > 0)
        log.info({ deleted }, 'alias history older than ML_ALIAS_HISTORY_RETENTION_DAYS deleted');
    },
    onError: (err) => log.warn({ err }, 'the alias history purge failed; it is tried again'),
  });
}
