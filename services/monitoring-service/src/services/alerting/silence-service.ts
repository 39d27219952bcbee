import type { PageRequest } from '@opsmesh/shared';
import { errors, withFieldErrors } from '../../errors.js';
import { newId } from '../../models/ids.js';
import type { SilenceRepository } from '../../models/silence-repository.js';
import { DurationError, parseDuration } from '../duration.js';
import { compileMatcher, type Matcher, MatcherError, parseMatcher } from '../metrics/matchers.js';
import { type Silence, type SilenceSet, type SilenceState, silenceState } from './silences.js';

export interface SilenceInput {
  matchers: string[];
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  duration?: string | undefined;
  comment: string;
}

/** How long expired silences stay listed. */
const EXPIRED_KEPT_MS = 7 * 24 * 3_600_000;

/**
 * Silences: created with label matchers and a time span, stored, and pushed to the live
 * SilenceSet the evaluator consults. They expire on their own at `endsAt`; expiring one by
 * hand moves its end to now.
 */
export class SilenceService {
  constructor(
    private readonly repository: SilenceRepository,
    private readonly live: SilenceSet,
    private readonly now: () => number,
    /** Tells the other replicas to refresh (a NOTIFY); nothing when there are none to tell. */
    private readonly announce: () => Promise<void> = async () => {},
    /**
     * Silences not yet ended that may exist at once (Alertmanager's `--silences.max-silences`):
     * every alert is checked against each, and without a bound one caller could grow the set
     * until each change and check blocks the service.
     */
    private readonly maxSilences = Number.POSITIVE_INFINITY,
  ) {}

  /** Reloads the live set; returns the stored silences whose matchers no longer compile. */
  async refresh(): Promise<Array<{ id: string; error: string }>> {
    return this.live.replace(await this.repository.list(this.now()));
  }

  /** One page of the silences (expired ones for a week), newest first, with how many match. */
  async list(
    query: { state?: SilenceState | undefined } & PageRequest,
  ): Promise<{ items: Array<Silence & { state: SilenceState }>; total: number }> {
    const now = this.now();
    const found = await this.repository.page({ ...query, since: now - EXPIRED_KEPT_MS, now });
    return { items: found.items.map((s) => ({ ...s, state: silenceState(s, now) })), total: found.total };
  }

  async create(input: SilenceInput, author: string): Promise<Silence & { state: SilenceState }> {
    const now = this.now();
    const span = this.validate(input, now, now);
    const silence: Silence = {
      id: newId('sil'),
      ...span,
      createdBy: author,
      comment: input.comment,
      createdAt: now,
    };
    // Counted in the database, not in this replica's set: the other replicas' newest are there.
    if (!(await this.repository.insertWithinLimit(silence, this.maxSilences, now)))
      throw errors.MONITORING_TOO_MANY_SILENCES({ limit: this.maxSilences });
    await this.announce();
    this.live.upsert(silence);
    return { ...silence, state: silenceState(silence, now) };
  }

  /**
   * Edits a silence that has not ended: new matchers, span and comment, the editor recorded as its
   * author (as Alertmanager does). Without `startsAt` the silence keeps its start. An expired
   * silence is history and stays as it was: create a new one.
   */
  async update(id: string, input: SilenceInput, author: string): Promise<Silence & { state: SilenceState }> {
    const now = this.now();
    const current = await this.repository.get(id);
    if (!current) throw errors.MONITORING_SILENCE_NOT_FOUND({ id });
    if (current.endsAt <= now) throw errors.MONITORING_SILENCE_EXPIRED({ id });
    const span = this.validate(input, now, current.startsAt);
    const edited: Silence = { ...current, ...span, comment: input.comment, createdBy: author };
    // Guarded on not having ended: a concurrent expiry (another replica, another operator) wins.
    if (!(await this.repository.update(edited, now))) throw errors.MONITORING_SILENCE_EXPIRED({ id });
    await this.announce();
    this.live.upsert(edited);
    return { ...edited, state: silenceState(edited, now) };
  }

  /** Parses matchers and the time span, listing every problem at once. */
  private validate(
    input: SilenceInput,
    now: number,
    defaultStart: number,
  ): { matchers: Matcher[]; startsAt: number; endsAt: number } {
    const problems: Array<{ field: string; message: string }> = [];
    const matchers: Matcher[] = [];
    input.matchers.forEach((text, i) => {
      try {
        matchers.push(parseMatcher(text));
      } catch (err) {
        if (!(err instanceof MatcherError)) throw err;
        problems.push({ field: `/matchers/${i}`, message: err.message });
      }
    });
    // As in Alertmanager: one matcher must fail on an empty value, or every alert would match.
    if (matchers.length > 0 && matchers.every((m) => compileMatcher(m).test(''))) {
      problems.push({
        field: '/matchers',
        message: 'at least one matcher must name something, e.g. alertname="ServiceDown"',
      });
    }
    const startsAt = input.startsAt ? Date.parse(input.startsAt) : defaultStart;
    let endsAt = input.endsAt ? Date.parse(input.endsAt) : Number.NaN;
    if (input.duration !== undefined) {
      if (input.endsAt !== undefined)
        problems.push({ field: '/duration', message: 'give either endsAt or duration, not both' });
      try {
        endsAt = startsAt + parseDuration(input.duration);
      } catch (err) {
        if (!(err instanceof DurationError)) throw err;
        problems.push({ field: '/duration', message: err.message });
      }
    } else if (input.endsAt === undefined) {
      problems.push({ field: '/endsAt', message: 'give endsAt or duration' });
    }
    if (!Number.isFinite(startsAt))
      problems.push({ field: '/startsAt', message: 'must be an RFC 3339 date-time' });
    if (input.endsAt !== undefined && !Number.isFinite(Date.parse(input.endsAt))) {
      problems.push({ field: '/endsAt', message: 'must be an RFC 3339 date-time' });
    }
    if (Number.isFinite(endsAt) && endsAt <= startsAt)
      problems.push({ field: '/endsAt', message: 'must be after startsAt' });
    if (Number.isFinite(endsAt) && endsAt <= now)
      problems.push({ field: '/endsAt', message: 'must be in the future' });
    if (problems.length > 0) {
      throw withFieldErrors(
        errors.MONITORING_INVALID_SILENCE({
          summary: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
        }),
        problems,
      );
    }
    return { matchers, startsAt, endsAt };
  }

  async expire(id: string): Promise<Silence & { state: SilenceState }> {
    const now = this.now();
    const silence = await this.repository.expire(id, now);
    if (!silence) throw errors.MONITORING_SILENCE_NOT_FOUND({ id });
    await this.announce();
    this.live.upsert(silence);
    return { ...silence, state: silenceState(silence, now) };
  }
}
