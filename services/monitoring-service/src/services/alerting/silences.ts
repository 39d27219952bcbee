import type { Labels } from '../metrics/labels.js';
import { type CompiledMatcher, compileMatcher, type Matcher, matchesAll } from '../metrics/matchers.js';

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  createdAt: number;
}

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

  replace(silences: readonly Silence[]): void {
    this.compiled = silences.map((silence) => ({ silence, matchers: silence.matchers.map(compileMatcher) }));
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
