import type { Discovery } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { GatewayConfig, ServiceConfig } from '../config/gateway-config-schema.js';
import { type Probe, startActiveHealth } from './active-health.js';
import { type InstanceHealth, type SubsetOptions, UpstreamPool } from './upstream-pool.js';

interface Managed {
  pool: UpstreamPool;
  checker: { stop(): void; round(): Promise<void> };
  settings: string;
}

/**
 * One pool per upstream name, kept across config reloads so counters and health survive a
 * SIGHUP; a pool is rebuilt only when its balancing or health settings change.
 */
export class UpstreamRegistry {
  #managed = new Map<string, Managed>();
  /** Gateway replicas in discovery (this one among them), for subsets sized `auto`. */
  #replicas = 1;
  readonly #subset: SubsetOptions | undefined;

  constructor(
    private readonly discovery: Discovery,
    private readonly log: FastifyBaseLogger,
    /** How readiness probes are sent (the gateway's: over each instance's keep-alive pool). */
    private readonly send?: Probe,
    /** Deterministic subsetting of every upstream's instances (`UPSTREAM_SUBSET_SIZE`). */
    subset?: SubsetOptions,
    /** The gateway's own name in discovery, where every replica announces itself. */
    private readonly self = 'gateway',
  ) {
    this.#subset = subset && { ...subset, replicas: () => this.#replicas };
  }

  /**
   * Counts the gateway replicas in discovery; when the count changes, every pool sized `auto`
   * chooses its subset again. Runs with each sync and each upstream's discovery refresh.
   */
  async #countReplicas(): Promise<void> {
    if (this.#subset?.size !== 'auto') return;
    let count: number;
    try {
      count = Math.max(1, (await this.discovery.resolve(this.self)).length);
    } catch {
      return; // the count stays as it was until discovery answers
    }
    if (count === this.#replicas) return;
    this.log.info({ replicas: count, was: this.#replicas }, 'gateway replica count changed; subsets resized');
    this.#replicas = count;
    for (const m of this.#managed.values()) m.pool.changed();
  }

  /** Brings pools in line with a config and resolves their instances before it goes live. */
  async sync(config: GatewayConfig): Promise<void> {
    await this.#countReplicas();
    const wanted = new Map<string, ServiceConfig>();
    for (const s of config.services) if (!wanted.has(s.upstream)) wanted.set(s.upstream, s);
    for (const [name, managed] of this.#managed) {
      if (!wanted.has(name)) {
        managed.checker.stop();
        this.#managed.delete(name);
      }
    }
    await Promise.all(
      [...wanted].map(async ([name, service]) => {
        const settings = JSON.stringify([service.balancer, service.healthchecks]);
        const existing = this.#managed.get(name);
        if (existing?.settings === settings) return;
        existing?.checker.stop();
        const { passive, active } = service.healthchecks;
        const pool = new UpstreamPool({
          name,
          balancer: service.balancer,
          passive: { failures: passive.failures, cooldownMs: passive.cooldown_ms },
          subset: this.#subset,
        });
        if (existing) pool.setInstances(existing.pool.instances.map((i) => i.url));
        const checker = startActiveHealth(pool, {
          path: active.path,
          intervalMs: active.interval_ms,
          timeoutMs: active.timeout_ms,
          failures: active.failures,
          probe: active.enabled,
          ...(this.send ? { send: this.send } : {}),
          resolve: () => {
            void this.#countReplicas();
            return this.discovery.resolve(name);
          },
          onChange: (url, healthy) =>
            this.log[healthy ? 'info' : 'warn'](
              { upstream: name, instance: url, healthy },
              'upstream health changed',
            ),
        });
        try {
          pool.setInstances(await this.discovery.resolve(name));
        } catch (err) {
          this.log.warn({ err, upstream: name }, 'discovery failed; the upstream has no instances yet');
        }
        this.#managed.set(name, { pool, checker, settings });
      }),
    );
  }

  get(upstream: string): UpstreamPool | undefined {
    return this.#managed.get(upstream)?.pool;
  }

  /** Runs one active health round on every pool now (tests, and the admin endpoint's refresh). */
  async checkNow(): Promise<void> {
    await Promise.all([...this.#managed.values()].map((m) => m.checker.round()));
  }

  health(): Record<string, InstanceHealth[]> {
    const out: Record<string, InstanceHealth[]> = {};
    for (const [name, m] of this.#managed) out[name] = m.pool.health();
    return out;
  }

  close(): void {
    for (const m of this.#managed.values()) m.checker.stop();
    this.#managed.clear();
  }
}
