import { type ChangeWatch, watchChanges } from '@opsmesh/shared/db/change-feed';
import type { DatabaseSession } from '@opsmesh/shared/db/database';
import type { RevocationEvent, RevocationPage } from '@opsmesh/shared/identity/revocation-list';
import type { RevocationRepository, RevocationRow } from '../models/revocation.js';

/**
 * Serves the revocation feed and keeps this replica current with it. The database's triggers
 * record every revocation and NOTIFY `auth_revocations` in the same transaction, whichever
 * replica made it; each replica listens, passes new events to its own verifier (`onEvents`) and
 * wakes the verifiers of other services long-polling `GET /revocations` on it.
 */

export const REVOCATION_CHANNEL = 'auth_revocations';
const PAGE = 500;

const toEvent = (r: RevocationRow): RevocationEvent => ({
  seq: r.seq,
  kind: r.kind,
  id: r.id,
  at: r.at.toISOString(),
});

export interface RevocationHub {
  /** The recent window (no `after`), or what followed `after`, waiting up to `waitSeconds` for it. */
  page(after: number | null, waitSeconds: number): Promise<RevocationPage>;
  start(logger?: { warn(obj: object, msg: string): void }): Promise<void>;
  /** Answers every waiting long poll now (shutdown) and stops listening. */
  close(): Promise<void>;
}

export function createRevocationHub(deps: {
  database: { openSession(): Promise<DatabaseSession> };
  repo: RevocationRepository;
  /** How far back a verifier starting afresh must look: the longest token lifetime plus skew. */
  windowSeconds: number;
  onEvents?: (events: RevocationEvent[]) => unknown;
  resyncMs?: number;
}): RevocationHub {
  const waiters = new Set<() => void>();
  let watch: ChangeWatch | null = null;
  let pruner: NodeJS.Timeout | null = null;
  let closing = false;
  let seen: number | null = null;

  const windowStart = () => new Date(Date.now() - deps.windowSeconds * 1000);

  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };

  /** New events since the last look, to this replica's own verifier. */
  async function catchUp(): Promise<void> {
    if (seen === null) {
      const window = await deps.repo.since(windowStart(), 10_000);
      const { newest } = await deps.repo.bounds();
      seen = newest;
      if (window.length > 0) await deps.onEvents?.(window.map(toEvent));
    } else {
      for (;;) {
        const rows = await deps.repo.after(seen, PAGE);
        if (rows.length === 0) break;
        seen = rows[rows.length - 1]!.seq;
        await deps.onEvents?.(rows.map(toEvent));
        if (rows.length < PAGE) break;
      }
    }
    wakeAll();
  }

  function waitForChange(ms: number): Promise<void> {
    if (closing || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });
  }

  return {
    async page(after, waitSeconds) {
      const { newest, oldest } = await deps.repo.bounds();
      // A fresh verifier, or one whose place is gone (pruned past, or a different database).
      if (after === null || after > newest || (oldest > 0 && after < oldest - 1 && after < newest)) {
        const rows = await deps.repo.since(windowStart(), 10_000);
        return { cursor: Math.max(newest, rows.at(-1)?.seq ?? 0), reset: true, events: rows.map(toEvent) };
      }
      let rows = await deps.repo.after(after, PAGE);
      if (rows.length === 0 && waitSeconds > 0) {
        await waitForChange(waitSeconds * 1000);
        rows = await deps.repo.after(after, PAGE);
      }
      return { cursor: rows.at(-1)?.seq ?? after, reset: false, events: rows.map(toEvent) };
    },
    async start(logger) {
      if (watch || closing) return;
      await catchUp();
      watch = await watchChanges(deps.database, REVOCATION_CHANNEL, () => catchUp(), {
        ...(deps.resyncMs ? { resyncMs: deps.resyncMs } : {}),
        onError: (err) =>
          logger?.warn(
            { err: (err as Error).message },
            'revocation feed: listening to the database was interrupted; retrying',
          ),
      });
      pruner = setInterval(() => {
        void deps.repo.prune(windowStart()).catch(() => {});
      }, 60_000);
      pruner.unref();
    },
    async close() {
      closing = true;
      if (pruner) clearInterval(pruner);
      wakeAll();
      await watch?.close();
    },
  };
}
