import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryFromEnv } from '../src/http/discovery.js';
import { etcdDiscovery, registerInEtcd } from '../src/http/etcd-discovery.js';
import { serve } from '../src/service/serve.js';
import { inSpan } from '../src/service/trace-context.js';
import { type RunningServer, skipUnlessBinary, startEtcd } from '../src/testing/external-servers.js';
import { startTestTracing } from '../src/testing/test-tracing.js';

const skip = skipUnlessBinary('etcd', 'etcd-server');

describe.skipIf(skip)('etcd discovery against a real etcd', () => {
  let etcd: RunningServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(() => etcd?.stop());

  it('lists registered instances, drops one on close, and one whose lease expires', async () => {
    const discovery = etcdDiscovery({ url: etcd.url, cacheMs: 0 });
    const a = await registerInEtcd({
      url: etcd.url,
      service: 'ml-service',
      instanceUrl: 'http://127.0.0.1:9001',
      instanceId: 'a',
      ttlSeconds: 5,
    });
    const b = await registerInEtcd({
      url: etcd.url,
      service: 'ml-service',
      instanceUrl: 'http://127.0.0.1:9002',
      instanceId: 'b',
      ttlSeconds: 5,
    });
    await registerInEtcd({
      url: etcd.url,
      service: 'auth-service',
      instanceUrl: 'http://127.0.0.1:9100',
      instanceId: 'x',
      ttlSeconds: 5,
    });
    expect(await discovery.resolve('ml-service')).toEqual(['http://127.0.0.1:9001', 'http://127.0.0.1:9002']);
    expect(Object.keys(await discovery.services()).sort()).toEqual(['auth-service', 'ml-service']);
    expect(await discoveryFromEnv({ ETCD_URL: etcd.url }).resolve('auth-service')).toEqual([
      'http://127.0.0.1:9100',
    ]);

    await a.close();
    expect(await discovery.resolve('ml-service')).toEqual(['http://127.0.0.1:9002']);
    await b.close();
    // A lease that is not kept alive expires by itself: grant a 2 s lease and let it lapse.
    const grant = await fetch(`${etcd.url}/v3/lease/grant`, {
      method: 'POST',
      body: JSON.stringify({ TTL: 2 }),
    }).then((r) => r.json() as Promise<{ ID: string }>);
    await fetch(`${etcd.url}/v3/kv/put`, {
      method: 'POST',
      body: JSON.stringify({
        key: Buffer.from('/opsmesh/services/ml-service/crashed').toString('base64'),
        value: Buffer.from(JSON.stringify({ url: 'http://127.0.0.1:9003' })).toString('base64'),
        lease: grant.ID,
      }),
    });
    expect(await discovery.resolve('ml-service')).toEqual(['http://127.0.0.1:9003']);
    let left: string[] = ['x'];
    for (let i = 0; i < 40 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      left = await discovery.resolve('ml-service');
    }
    expect(left).toEqual([]);
  }, 30_000);

  it('keeps serving the last known instances while etcd is unreachable', async () => {
    const own = await startEtcd();
    const discovery = etcdDiscovery({ url: own.url, cacheMs: 0 });
    await registerInEtcd({
      url: own.url,
      service: 'gateway',
      instanceUrl: 'http://127.0.0.1:9200',
      ttlSeconds: 30,
    });
    expect(await discovery.resolve('gateway')).toEqual(['http://127.0.0.1:9200']);
    await own.stop();
    expect(await discovery.resolve('gateway')).toEqual(['http://127.0.0.1:9200']);
  }, 30_000);

  it('serve() announces a running service and withdraws it before draining on close', async () => {
    const app = Fastify();
    app.get('/ping', async () => ({ ok: true }));
    await serve(app, {
      service: 'probe-service',
      HOST: '127.0.0.1',
      PORT: 0,
      SHUTDOWN_GRACE_MS: 1000,
      ETCD_URL: etcd.url,
    });
    const discovery = etcdDiscovery({ url: etcd.url, cacheMs: 0 });
    const [url] = await discovery.resolve('probe-service');
    expect(url).toBe(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
    expect(await (await fetch(`${url}/ping`)).json()).toEqual({ ok: true });
    await app.close();
    expect(await discovery.resolve('probe-service')).toEqual([]);
  });

  it('serve() takes its lease TTL from DISCOVERY_TTL_SECONDS, and registration refuses one too short to keep', async () => {
    const app = Fastify();
    await serve(app, {
      service: 'ttl-service',
      HOST: '127.0.0.1',
      PORT: 0,
      SHUTDOWN_GRACE_MS: 1000,
      ETCD_URL: etcd.url,
      DISCOVERY_TTL_SECONDS: 3,
    });
    try {
      const prefix = Buffer.from('/opsmesh/services/ttl-service/');
      const range = (await fetch(`${etcd.url}/v3/kv/range`, {
        method: 'POST',
        body: JSON.stringify({
          key: prefix.toString('base64'),
          range_end: Buffer.from('/opsmesh/services/ttl-service0').toString('base64'),
        }),
      }).then((r) => r.json())) as { kvs: { lease: string }[] };
      expect(range.kvs).toHaveLength(1);
      const lease = (await fetch(`${etcd.url}/v3/lease/timetolive`, {
        method: 'POST',
        body: JSON.stringify({ ID: range.kvs[0]!.lease }),
      }).then((r) => r.json())) as { grantedTTL: string };
      expect(lease.grantedTTL).toBe('3');
    } finally {
      await app.close();
    }
    for (const ttlSeconds of [1, 2.5])
      await expect(
        registerInEtcd({ url: etcd.url, service: 'x', instanceUrl: 'http://127.0.0.1:1', ttlSeconds }),
      ).rejects.toThrow(/whole number of seconds, at least 2/);
  });
});

describe.skipIf(skip)('etcd calls in a trace', () => {
  let etcd: RunningServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(() => etcd?.stop());

  it('makes a client span per etcd operation under the active span, and none outside a trace', async () => {
    const tracing = startTestTracing();
    try {
      const discovery = etcdDiscovery({ url: etcd.url, cacheMs: 0 });
      await discovery.resolve('ml-service');
      expect(tracing.spans()).toEqual([]);
      await inSpan('lookup', {}, () => discovery.resolve('ml-service'));
      const range = tracing.spans().find((s) => s.name === 'etcd /v3/kv/range');
      expect(range?.attributes).toMatchObject({ 'db.system.name': 'etcd', 'server.address': etcd.url });
      const parent = tracing.spans().find((s) => s.name === 'lookup')!;
      expect(range?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    } finally {
      await tracing.shutdown();
    }
  });
});
