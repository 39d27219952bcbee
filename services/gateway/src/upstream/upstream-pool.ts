import { type Balancer, createBalancer } from './balancers.js';
import { createInstance, isAvailable, type UpstreamInstance } from './upstream-instance.js';

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
}

export interface InstanceHealth {
  url: string;
  available: boolean;
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
  #balancer: Balancer;
  #now: () => number;

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
  }

  /** An available instance other than those in `exclude`, or undefined when there is none. */
  pick(exclude?: UpstreamInstance): UpstreamInstance | undefined {
    const now = this.#now();
    const all = this.#instances;
    // The usual case, every instance in rotation, picks from the list itself: a candidate list
    // is started only at the first instance left out.
    let candidates: UpstreamInstance[] | undefined;
    for (let k = 0; k < all.length; k++) {
      const i = all[k]!;
      if (i !== exclude && isAvailable(i, now)) candidates?.push(i);
      else candidates ??= all.slice(0, k);
    }
    const from = candidates ?? all;
    return from.length === 0 ? undefined : this.#balancer.pick(from);
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
    return this.#instances.map((i) => ({
      url: i.url,
      available: isAvailable(i, now),
      activeHealthy: i.activeHealthy,
      ejectedForMs: Math.max(0, i.ejectedUntil - now),
      outstanding: i.outstanding,
      consecutiveFailures: i.consecutiveFailures,
    }));
  }
}
