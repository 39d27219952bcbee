import type { Labels } from '../metrics/labels.js';
import {
  type CompiledMatcher,
  compileMatcher,
  type Matcher,
  MatcherError,
  matchesAll,
} from '../metrics/matchers.js';

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  createdAt: number;
}

const NEVER: CompiledMatcher = { name: 'alertname', op: '=~', value: '', test: () => false };

export type SilenceState = 'pending' | 'active' | 'expired';

/** A silence's state at `now`: it expires on its own once `endsAt` has passed. */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (now >= s.endsAt) return 'expired';
  if (now < s.startsAt) return 'pending';
  return 'active';
}

/**
 * The set of silences in force, compiled once per change so every alert check is a few
 * string comparisons.
 */
export class SilenceSet {
  private compiled: Array<{ silence: Silence; matchers: CompiledMatcher[] }> = [];

  /**
   * Replaces the set. A stored matcher that no longer compiles (a regex saved before RE2
   * checked them) mutes nothing rather than failing every other silence; it is returned so
   * the caller can say so.
   */
  replace(silences: readonly Silence[]): Array<{ id: string; error: string }> {
    const broken: Array<{ id: string; error: string }> = [];
    this.compiled = silences.map((silence) => {
      try {
        return { silence, matchers: silence.matchers.map(compileMatcher) };
      } catch (err) {
        if (!(err instanceof MatcherError)) throw err;
        broken.push({ id: silence.id, error: err.message });
        return { silence, matchers: [NEVER] };
      }
    });
    return broken;
  }

  list(): Silence[] {
    return this.compiled.map((c) => c.silence);
  }

  /** Ids of the silences muting these labels at `now` (empty: not silenced). */
  mutedBy(labels: Labels, now: number): string[] {
    const ids: string[] = [];
    for (const c of this.compiled) {
      if (silenceState(c.silence, now) !== 'active') continue;
      if (matchesAll(labels['alertname'] ?? '', labels, c.matchers)) ids.push(c.silence.id);
    }
    return ids;
  }
}
