import type { Database } from '@opsmesh/shared/db/database';
import { type LeasedJob, startLeasedJob } from '@opsmesh/shared/db/leased-job';
import { newId } from '@opsmesh/shared/ids/new-id';
import type { FastifyBaseLogger } from 'fastify';
import type { ApiKeyRepository } from '../models/api-key.js';
import type { AuthDB } from '../models/db.js';
import type { SessionRepository } from '../models/session.js';

/** How often the holder of the retention lease purges. */
const PURGE_EVERY_MS = 3_600_000;

/**
 * Deletes sessions and API keys revoked or expired more than `retentionDays` ago
 * (REVOKED_RETENTION_DAYS): they are kept that long so a user can see what ended and why, then
 * they only grow the tables every list and limit check reads. One replica purges, under a lease.
 */
export function createRetention(deps: {
  database: Database<AuthDB>;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  retentionDays: number;
}) {
  let job: LeasedJob | null = null;
  const purge = async () => {
    const before = new Date(Date.now() - deps.retentionDays * 86_400_000);
    return {
      sessions: await deps.sessions.purgeEnded(before),
      apiKeys: await deps.apiKeys.purgeEnded(before),
    };
  };
  return {
    async start(log: FastifyBaseLogger) {
      job = await startLeasedJob(deps.database, 'auth-retention', {
        holder: process.env['OPSMESH_INSTANCE_ID'] || newId('ins'),
        everyMs: PURGE_EVERY_MS,
        work: async () => {
          const deleted = await purge();
          if (deleted.sessions + deleted.apiKeys > 0)
            log.info(deleted, 'sessions and API keys ended more than REVOKED_RETENTION_DAYS ago deleted');
        },
        onError: (err) => log.warn({ err }, 'the retention purge failed; it is tried again'),
      });
    },
    /** Purges now if this replica holds the retention lease; false when another one does. */
    runNow: () => job?.runNow() ?? Promise.resolve(false),
    close: async () => {
      await job?.close();
    },
  };
}
export type Retention = ReturnType<typeof createRetention>;
