/** One address of an upstream service, with the counters balancing and health decisions read. */
export interface UpstreamInstance {
  readonly url: string;
  outstanding: number;
  consecutiveFailures: number;
  /** Epoch ms until which passive health keeps the instance out of rotation. */
  ejectedUntil: number;
  /** Last verdict of the active `/health/ready` probe; instances start healthy. */
  activeHealthy: boolean;
  /** Consecutive failed readiness probes. */
  probeFailures: number;
}

export function createInstance(url: string): UpstreamInstance {
  return {
    url: url.replace(/\/+$/, ''),
    outstanding: 0,
    consecutiveFailures: 0,
    ejectedUntil: 0,
    activeHealthy: true,
    probeFailures: 0,
  };
}

export function isAvailable(instance: UpstreamInstance, now: number): boolean {
  return instance.activeHealthy && instance.ejectedUntil <= now;
}
