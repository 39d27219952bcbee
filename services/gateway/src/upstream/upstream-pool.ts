import { createHash } from 'node:crypto';
import { type Balancer, createBalancer } from './balancers.js';
import { createInstance, isAvailable, type UpstreamInstance } from './upstream-instance.js';

/**
 * Deterministic subsetting: this gateway sends an upstream's traffic to at most `size` of its
 * available instances, chosen by rendezvous hashing of `id` (the gateway replica's) with each
 * instance's address. The choice is stable while instances stay, differs from replica to
 * replica so replicas together cover the instances, and when a member leaves or goes
 * unhealthy only that member is replaced (by the next instance in this replica's order).
 */
export interface SubsetOptions {
  /**
   * Instances per upstream this gateway sends to; 0 = all; `auto` sizes each upstream's subset
   * from its instance count and the number of gateway replicas ({@link autoSubsetSize}).
   */
  size: number | 'auto';
  /** This gateway replica's id (stable across restarts of the same replica). */
  id: string;
  /** Gateway replicas known to discovery, this one included (for `auto`; 1 when not given). */
  replicas?: () => number;
}

/**
 * How many replicas' subsets each instance is in, on average, when sized automatically. The
 * subsets are random, so an instance is in none with a chance of about e^-coverage: at 10,
 * 1 in 22,000 (none of 200 in practice), where 3 would leave about 5% of instances idle.
 */
export const AUTO_SUBSET_COVERAGE = 10;
/** The smallest automatic subset: undici over 16 pools costs what it does over 2 (bench/gateway/spread.ts). */
export const AUTO_SUBSET_MIN = 16;

/**
 * The subset size `auto` gives an upstream of `instances` behind `replicas` gateway replicas:
 * enough for the replicas together to cover each instance {@link AUTO_SUBSET_COVERAGE} times,
 * at least {@link AUTO_SUBSET_MIN}. A size at or over the instance count means every instance,
 * so up to 10 replicas (and a lone gateway always) send to all of them.
 *
 * @example
 * autoSubsetSize(200, 1) // 2000: all 200
 * autoSubsetSize(200, 50) // 40
 */
export function autoSubsetSize(instances: number, replicas: number): number {
  return Math.max(AUTO_SUBSET_MIN, Math.ceil((AUTO_SUBSET_COVERAGE * instances) / Math.max(1, replicas)));
}

/** The subset size in force for an upstream of `instances`; 0 = all. */
function subsetSize(subset: SubsetOptions | undefined, instances: number): number {
  if (!subset) return 0;
  if (subset.size !== 'auto') return subset.size;
  return autoSubsetSize(instances, subset.replicas?.() ?? 1);
}

/** An instance's place in one replica's order: a 48-bit slice of SHA-256 over the replica id and the address. */
export function subsetRank(id: string, url: string): number {
  return createHash('sha256').update(id).update('\n').update(url).digest().readUIntBE(0, 6);
}

export interface PassiveHealthOptions {
  /** Consecutive failures or timeouts that eject an instance. */
  failures: number;
  cooldownMs: number;
}

export interface UpstreamPoolOptions {
  name: string;
  balancer: 'round-robin' | 'least-outstanding';
  passive: PassiveHealthOptions;
  now?: () => number;
  subset?: SubsetOptions | undefined;
}

export interface InstanceHealth {
  url: string;
  available: boolean;
  /** False when subsetting leaves this available instance to other gateway replicas. */
  inSubset: boolean;
  activeHealthy: boolean;
  ejectedForMs: number;
  outstanding: number;
  consecutiveFailures: number;
}

/**
 * The instances of one upstream service: picks one per request and keeps passive health.
 * Instances come from discovery through `setInstances`, which keeps the state of addresses
 * that stay.
 */
export class UpstreamPool {
  readonly name: string;
  #instances: UpstreamInstance[] = [];
  #available: UpstreamInstance[] | undefined;
  #availableUntil = 0;
  #balancer: Balancer;
  #now: () => number;
  /** Each instance's rank in this replica's subset order, by address (subsetting on only). */
  #ranks = new Map<string, number>();

  constructor(private readonly options: UpstreamPoolOptions) {
    this.name = options.name;
    this.#balancer = createBalancer(options.balancer);
    this.#now = options.now ?? Date.now;
  }

  get instances(): readonly UpstreamInstance[] {
    return this.#instances;
  }

  setInstances(urls: readonly string[]): void {
    const byUrl = new Map(this.#instances.map((i) => [i.url, i]));
    this.#instances = urls.map((u) => byUrl.get(u.replace(/\/+$/, '')) ?? createInstance(u));
    const subset = this.options.subset;
    if (subset && subset.size !== 0) {
      const ranks = new Map<string, number>();
      for (const i of this.#instances)
        ranks.set(i.url, this.#ranks.get(i.url) ?? subsetRank(subset.id, i.url));
      this.#ranks = ranks;
    }
    this.changed();
  }

  /** Tells the pool an instance's health changed (an active probe's verdict). */
  changed(): void {
    this.#available = undefined;
  }

  /**
   * The instances in rotation, kept between requests and rebuilt only when health changes or
   * an ejection runs out: picking is then O(1) whatever the number of instances (a scan per
   * request cost ~3 µs a pick at 200 instances, 24x 2 instances; bench/gateway prints the ratio).
   */
  #inRotation(now: number): UpstreamInstance[] {
    if (this.#available && now < this.#availableUntil) return this.#available;
    const available: UpstreamInstance[] = [];
    let until = Number.POSITIVE_INFINITY;
    for (const i of this.#instances) {
      if (isAvailable(i, now)) available.push(i);
      else if (i.activeHealthy) until = Math.min(until, i.ejectedUntil);
    }
    this.#available = this.#subsetOf(available);
    this.#availableUntil = until;
    return this.#available;
  }

  /**
   * The `size` available instances ranked first in this replica's order, or all of them when
   * there are no more than that: an unhealthy or departed member's place goes to the next one.
   */
  #subsetOf(available: UpstreamInstance[]): UpstreamInstance[] {
    const size = subsetSize(this.options.subset, this.#instances.length);
    if (size <= 0 || available.length <= size) return available;
    const rank = (i: UpstreamInstance) => this.#ranks.get(i.url) ?? 0;
    const chosen = new Set([...available].sort((a, b) => rank(b) - rank(a)).slice(0, size));
    // Kept in discovery's order, so round-robin goes over them as it does over a whole list.
    return available.filter((i) => chosen.has(i));
  }

  /** An available instance other than `exclude`, or undefined when there is none. */
  pick(exclude?: UpstreamInstance): UpstreamInstance | undefined {
    const available = this.#inRotation(this.#now());
    if (available.length === 0) return undefined;
    if (exclude === undefined) return this.#balancer.pick(available);
    // A retry: rare, so a list without the failed instance is made for it.
    const others = available.filter((i) => i !== exclude);
    return others.length === 0 ? undefined : this.#balancer.pick(others);
  }

  start(instance: UpstreamInstance): void {
    instance.outstanding++;
  }

  succeed(instance: UpstreamInstance): void {
    instance.outstanding = Math.max(0, instance.outstanding - 1);
    instance.consecutiveFailures = 0;
  }

  /** Counts a connection failure or timeout; ejects on the threshold. Returns true when ejected. */
  fail(instance: UpstreamInstance): boolean {
    instance.outstanding = Math.max(0, instance.outstanding - 1);
    instance.consecutiveFailures++;
    if (instance.consecutiveFailures >= this.options.passive.failures) {
      instance.ejectedUntil = this.#now() + this.options.passive.cooldownMs;
      this.changed();
      // Back from cool-down on probation: one more failure ejects it again.
      instance.consecutiveFailures = this.options.passive.failures - 1;
      return true;
    }
    return false;
  }

  /** Ends a request whose outcome says nothing about the instance (client went away). */
  release(instance: UpstreamInstance): void {
    instance.outstanding = Math.max(0, instance.outstanding - 1);
  }

  health(): InstanceHealth[] {
    const now = this.#now();
    const inRotation = new Set(this.#inRotation(now));
    return this.#instances.map((i) => ({
      url: i.url,
      available: isAvailable(i, now),
      inSubset: inRotation.has(i),
      activeHealthy: i.activeHealthy,
      ejectedForMs: Math.max(0, i.ejectedUntil - now),
      outstanding: i.outstanding,
      consecutiveFailures: i.consecutiveFailures,
    }));
  }
}
