import { setTimeout as sleep } from 'node:timers/promises';
import type { Identity } from './types.js';

/** What the auth service announces on `GET /revocations` (see its README). */
export type RevocationKind = 'subject' | 'session' | 'api-key' | 'keys';

export interface RevocationEvent {
  seq: number;
  kind: RevocationKind;
  id: string;
  /** When it happened (ISO 8601). */
  at: string;
}

export interface RevocationPage {
  /** Pass it back as `after` to get what follows. */
  cursor: number;
  /** True when the events are the whole recent window rather than what followed `after`. */
  reset: boolean;
  events: RevocationEvent[];
}

/**
 * The credentials revoked recently, as a verifier needs them: subjects (disabled users, service
 * accounts) with the time they were revoked, revoked sessions and revoked API keys. Entries older
 * than `maxAgeSeconds` (the longest access-token lifetime plus skew) are forgotten, since every
 * token they could refuse has expired by then.
 *
 * @example
 * const list = new RevocationList();
 * list.apply({ cursor: 7, reset: false, events: [{ seq: 7, kind: 'subject', id: 'usr_x', at: new Date().toISOString() }] });
 * list.rejects(identity); // true for usr_x's tokens issued before that moment
 */
/** Whether a revocation at `at` (ms) covers a credential issued at `issuedMs`. */
function covers(at: number | undefined, issuedMs: number): boolean {
  // iat has whole seconds: a revocation in the same second as the issue counts as after it.
  return at !== undefined && issuedMs <= at;
}

export class RevocationList {
  private readonly subjects = new Map<string, number>();
  private readonly sessions = new Map<string, number>();
  private readonly apiKeys = new Map<string, number>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: { maxAgeSeconds?: number; now?: () => number } = {}) {
    this.maxAgeMs = (options.maxAgeSeconds ?? 3600 + 120) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Takes a page of the feed in; returns the events it carried. */
  apply(page: RevocationPage): RevocationEvent[] {
    if (page.reset) {
      this.subjects.clear();
      this.sessions.clear();
      this.apiKeys.clear();
    }
    for (const e of page.events) {
      const at = Date.parse(e.at);
      if (!Number.isFinite(at)) continue;
      const map =
        e.kind === 'subject'
          ? this.subjects
          : e.kind === 'session'
            ? this.sessions
            : e.kind === 'api-key'
              ? this.apiKeys
              : null;
      if (map) map.set(e.id, Math.max(map.get(e.id) ?? 0, at));
    }
    this.prune();
    return page.events;
  }

  /**
   * Whether `identity` was issued (or, for an API key, looked up) no later than a revocation
   * that covers it: its subject's, its session's or its key's.
   */
  rejects(identity: Pick<Identity, 'subject' | 'sessionId' | 'keyId' | 'issuedAt'>): boolean {
    // Checked on every authenticated request: no closure per call (a named one also costs a
    // property definition per call where the source runs through tsx).
    if (this.subjects.size === 0 && this.sessions.size === 0 && this.apiKeys.size === 0) return false;
    const issuedMs = (identity.issuedAt ?? 0) * 1000;
    if (covers(this.subjects.get(identity.subject), issuedMs)) return true;
    if (identity.sessionId && this.sessions.has(identity.sessionId)) return true;
    return identity.keyId !== undefined && covers(this.apiKeys.get(identity.keyId), issuedMs);
  }

  get size(): number {
    return this.subjects.size + this.sessions.size + this.apiKeys.size;
  }

  private prune(): void {
    const floor = this.now() - this.maxAgeMs;
    for (const map of [this.subjects, this.sessions, this.apiKeys]) {
      for (const [id, at] of map) if (at < floor) map.delete(id);
    }
  }
}

/**
 * Keeps `list` current from a revocation feed: reads the recent window first, then long-polls
 * for what follows, and calls `onEvents` with each page's events (to drop cached credentials,
 * fetch new signing keys). A failed read is retried with backoff (1 s doubling to 10 s); what
 * was learnt stays in force meanwhile.
 *
 * @example
 * const follower = followRevocations({ list, read: (after, wait, signal) => fetchPage(after, wait, signal) });
 * await follower.close();
 */
export function followRevocations(options: {
  list: RevocationList;
  read: (after: number | null, waitSeconds: number, signal: AbortSignal) => Promise<RevocationPage>;
  onEvents?: (events: RevocationEvent[]) => void;
  onError?: (err: unknown) => void;
  waitSeconds?: number;
}): { close(): Promise<void> } {
  const wait = options.waitSeconds ?? 20;
  const abort = new AbortController();
  let cursor: number | null = null;
  let backoff = 1000;
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const page = await options.read(cursor, cursor === null ? 0 : wait, abort.signal);
        const events = options.list.apply(page);
        if (events.length > 0) options.onEvents?.(events);
        cursor = page.cursor;
        backoff = 1000;
      } catch (err) {
        if (abort.signal.aborted) break;
        options.onError?.(err);
        // The timer's abort listener goes with it: one per failed read would pile up on the
        // signal while the feed stays unreachable.
        await sleep(backoff, undefined, { signal: abort.signal, ref: false }).catch(() => {});
        backoff = Math.min(10_000, backoff * 2);
      }
    }
  })();
  return {
    async close() {
      abort.abort();
      await loop;
    },
  };
}
