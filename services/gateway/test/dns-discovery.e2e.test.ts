// Upstream instances found in DNS, as a Kubernetes headless Service publishes them: one address
// record per pod, all on the same port. A real DNS server (dnsmasq) answers; two echo upstreams
// listen on two loopback addresses; the gateway balances over both and follows the records.
import { discoveryFromEnv } from '@opsmesh/shared';
import {
  createTestIdentity,
  type RunningDns,
  skipUnlessBinary,
  startDnsmasq,
  type TestIdentity,
} from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, startUpstream, type TestGateway, type UpstreamProcess } from './helpers.js';
import { testConfig } from './test-config.js';

const skip = skipUnlessBinary('dnsmasq', 'dnsmasq-base');
const HOST = 'ml-service-pods.opsmesh.test';

describe.skipIf(skip)('gateway upstreams from DNS discovery', () => {
  let dns: RunningDns;
  let identity: TestIdentity;
  let a: UpstreamProcess;
  let b: UpstreamProcess;
  let gw: TestGateway;
  let token: string;

  beforeAll(async () => {
    identity = await createTestIdentity();
    a = await startUpstream('pod-a', 0, '127.0.0.1');
    const port = Number(new URL(a.url).port);
    b = await startUpstream('pod-b', port, '127.0.0.2');
    dns = await startDnsmasq({ hosts: { [HOST]: ['127.0.0.1', '127.0.0.2'] } });
    const discovery = discoveryFromEnv({
      DNS_SERVICES: `ml-service=${HOST}:${port},auth-service=${HOST}:${port}`,
      DNS_SERVERS: dns.server,
    });
    gw = await startGateway({ yaml: testConfig(), discovery, identity });
    token = await identity.token({ roles: ['viewer'] });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    await Promise.all([a?.kill(), b?.kill()]);
    await dns?.stop();
    await identity?.close();
  });

  const instances = async (n: number) => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${gw.url}/api/ml/echo`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      seen.push(((await res.json()) as { instance: string }).instance);
    }
    return seen;
  };

  it('balances over every address the name resolves to', async () => {
    const seen = await instances(8);
    expect(new Set(seen)).toEqual(new Set(['pod-a', 'pod-b']));
    const adminToken = await identity.token({ roles: ['admin'] });
    const admin = await fetch(`${gw.url}/admin/upstreams`, {
      headers: { authorization: `Bearer ${adminToken}` },
    }).then((r) => r.text());
    expect(admin).toContain('127.0.0.2');
  });

  it('follows the records when a pod leaves', async () => {
    await dns.setHosts({ [HOST]: ['127.0.0.2'] });
    // Discovery answers are cached for 5 s and re-read by the active health rounds.
    await expect
      .poll(async () => new Set(await instances(4)), { timeout: 15_000, interval: 500 })
      .toEqual(new Set(['pod-b']));
  }, 20_000);
});
