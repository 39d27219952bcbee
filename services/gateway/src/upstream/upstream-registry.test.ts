import { type Discovery, staticDiscovery } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config/load-gateway-config.js';
import { UpstreamRegistry } from './upstream-registry.js';

const config = parseGatewayConfig(`format_version: "1"
services:
  - name: ml
    upstream: ml-service
    healthchecks:
      active: { enabled: false }
    routes:
      - name: ml
        paths: [/api/ml]
`);
const instances = Array.from({ length: 200 }, (_, i) => `http://10.0.${i >> 8}.${i & 255}:8082`);
const replicas = (n: number) => Array.from({ length: n }, (_, i) => `http://10.1.0.${i}:8080`);
const log = { info: () => {}, warn: () => {} } as unknown as FastifyBaseLogger;

/** Instances in this replica's subset, as the admin endpoint shows them. */
const inSubset = (registry: UpstreamRegistry) =>
  registry.health()['ml-service']!.filter((h) => h.inSubset).length;

describe('UpstreamRegistry subsets sized from the gateway replicas in discovery', () => {
  it('sends to every instance with up to 10 replicas and follows the count as it changes', async () => {
    const map: Record<string, string[]> = { 'ml-service': instances, gateway: replicas(3) };
    // Discovery that answers what the map holds now, as etcd's watched prefix does.
    const live: Discovery = { resolve: async (name) => map[name] ?? [], services: async () => map };
    const registry = new UpstreamRegistry(live, log, undefined, { size: 'auto', id: 'gw-a' });
    await registry.sync(config);
    expect(inSubset(registry)).toBe(200);
    map['gateway'] = replicas(100);
    await registry.checkNow(); // a discovery refresh, as each active-health interval makes
    await new Promise((r) => setImmediate(r));
    expect(inSubset(registry)).toBe(20);
    map['gateway'] = [];
    await registry.checkNow();
    await new Promise((r) => setImmediate(r));
    expect(inSubset(registry)).toBe(200); // no replica announced: this one alone
    registry.close();
  });

  it('keeps a fixed size, or all instances with 0, whatever the replica count', async () => {
    const discovery = staticDiscovery({ 'ml-service': instances, gateway: replicas(100) });
    const fixed = new UpstreamRegistry(discovery, log, undefined, { size: 30, id: 'gw-a' });
    const all = new UpstreamRegistry(discovery, log, undefined, { size: 0, id: 'gw-a' });
    await Promise.all([fixed.sync(config), all.sync(config)]);
    expect(inSubset(fixed)).toBe(30);
    expect(inSubset(all)).toBe(200);
    fixed.close();
    all.close();
  });
});
