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
    this.compiled = silences.map((silence) => ({
      silence,
      matchers: compileOrNever(silence, (error) => broken.push({ id: silence.id, error })),
    }));
    return broken;
  }

  /**
   * Adds or replaces one silence after a change made here, compiling only it: reloading and
   * compiling the whole set per change cost O(silences) of event-loop time each (a second's
   * worth at 1,000 silences under a burst of creates, enough to fail health probes).
   */
  upsert(silence: Silence): void {
    const entry = { silence, matchers: compileOrNever(silence, () => undefined) };
    const at = this.compiled.findIndex((c) => c.silence.id === silence.id);
    if (at >= 0) this.compiled[at] = entry;
    else this.compiled.unshift(entry);
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

/** A silence's matchers compiled; one that no longer compiles mutes nothing (and is reported). */
function compileOrNever(silence: Silence, broken: (error: string) => void): CompiledMatcher[] {
  try {
    return silence.matchers.map(compileMatcher);
  } catch (err) {
    if (!(err instanceof MatcherError)) throw err;
    broken(err.message);
    return [NEVER];
  }
}
