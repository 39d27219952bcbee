import type { TargetRecord, WatchState } from '../../models/target-repository.js';
import type { Labels } from '../metrics/labels.js';
import type { VectorSample } from '../metrics/query-functions.js';
import type { ExprEvaluator } from './expr-evaluator.js';

/**
 * Which targets may be alerted on: one that has been ready (a successful scrape) since the current
 * watch began, or whose start-up grace has passed since it was first seen in that watch. Until
 * then a planned start, where monitoring scrapes services that are still starting, pages no one.
 * The state comes from the database, so whichever replica evaluates agrees with the others.
 *
 * @example
 * const gate = new StartGate(30_000);
 * gate.update(await targets.watch(), now);
 * gate.allows({ service: 'gateway', instance: '127.0.0.1:8080' }); // false while it starts
 */
export class StartGate {
  private held = new Set<string>();
  /** service -> [instances, instances still held] */
  private services = new Map<string, { all: number; held: number }>();

  constructor(private readonly graceMs: number) {}

  /** Whether a target is still in its start-up grace at `now`. */
  isHeld(target: TargetRecord, watchStartedAt: number, now: number): boolean {
    // Strictly after: a scrape recorded in the same instant as a new watch began belongs to the old one.
    const ready = target.readyAt !== null && target.readyAt > watchStartedAt;
    return !ready && now < Math.max(target.firstSeenAt, watchStartedAt) + this.graceMs;
  }

  /**
   * The targets held at `now`, each with when its grace ends. `firing` are the labels of alerts
   * firing already: a target they name is in an outage that was alerted on (before a restart of
   * monitoring, say), not starting, and stays alerted on.
   */
  heldAt(
    state: WatchState | null,
    now: number,
    firing: readonly Labels[] = [],
  ): Array<TargetRecord & { until: number }> {
    const alerted = (t: TargetRecord) =>
      firing.some(
        (l) => l['service'] === t.service && (l['instance'] === undefined || l['instance'] === t.instance),
      );
    return (state?.targets ?? [])
      .filter((t) => this.isHeld(t, state!.startedAt, now) && !alerted(t))
      .map((t) => ({ ...t, until: Math.max(t.firstSeenAt, state!.startedAt) + this.graceMs }));
  }

  /**
   * Whether a failed scrape of the target at `url`, made at `now`, belongs to its start: the target
   * is held, or this is its first scrape here and the watch has not seen it yet (it is first seen
   * now, inside its grace).
   */
  startingAt(
    state: WatchState | null,
    now: number,
    firing: readonly Labels[] = [],
  ): (url: string, firstScrape: boolean) => boolean {
    const held = new Set(this.heldAt(state, now, firing).map((t) => t.url));
    const seen = new Set((state?.targets ?? []).map((t) => t.url));
    return (url, firstScrape) => held.has(url) || (firstScrape && this.graceMs > 0 && !seen.has(url));
  }

  /** Loads the watch at `now` (see heldAt) for `allows`. */
  update(state: WatchState | null, now: number, firing: readonly Labels[] = []): void {
    this.held = new Set(this.heldAt(state, now, firing).map((t) => key(t.service, t.instance)));
    this.services = new Map();
    for (const t of state?.targets ?? []) {
      const s = this.services.get(t.service) ?? { all: 0, held: 0 };
      s.all++;
      if (this.held.has(key(t.service, t.instance))) s.held++;
      this.services.set(t.service, s);
    }
  }

  /**
   * A result of one instance is held while that instance is; a result of a whole service (no
   * `instance` label) while every instance of it is. Results of targets the gate does not know
   * (not scraped here) pass.
   */
  allows(labels: Labels): boolean {
    const service = labels['service'];
    if (service === undefined) return true;
    const instance = labels['instance'];
    if (instance !== undefined) return !this.held.has(key(service, instance));
    const s = this.services.get(service);
    return !s || s.held < s.all;
  }

  /** The targets held now, as `service instance`, for logs and the service view. */
  heldTargets(): string[] {
    return [...this.held].sort();
  }
}

const key = (service: string, instance: string) => `${service} ${instance}`;

/**
 * An evaluator whose results leave out the targets the gate holds, refreshing the gate once per
 * evaluation time: a rule never sees a starting service, so it neither goes pending nor fires.
 */
export class GatedEvaluator implements ExprEvaluator {
  private refreshedFor: number | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly inner: ExprEvaluator,
    private readonly gate: StartGate,
    private readonly load: () => Promise<WatchState | null>,
    /** Labels of the alerts firing now (see StartGate.update). */
    private readonly firing: () => readonly Labels[] = () => [],
  ) {}

  async evaluate(...args: Parameters<ExprEvaluator['evaluate']>): Promise<VectorSample[]> {
    const atMs = args[1];
    if (this.refreshedFor !== atMs) {
      this.refreshing ??= this.load()
        .then((state) => {
          this.gate.update(state, atMs, this.firing());
          this.refreshedFor = atMs;
        })
        .finally(() => {
          this.refreshing = null;
        });
      await this.refreshing;
    }
    const results = await this.inner.evaluate(...args);
    return results.filter((r) => this.gate.allows(r.labels));
  }
}
