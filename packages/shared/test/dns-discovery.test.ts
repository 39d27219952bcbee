import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryFromEnv } from '../src/http/discovery.js';
import { type DnsResolver, dnsDiscovery, parseDnsServices } from '../src/http/dns-discovery.js';
import { inSpan } from '../src/service/trace-context.js';
import { type RunningDns, skipUnlessBinary, startDnsmasq } from '../src/testing/external-servers.js';
import { startTestTracing } from '../src/testing/test-tracing.js';

describe('parseDnsServices', () => {
  it('reads address and SRV entries and names a bad one', () => {
    expect(parseDnsServices('ml-service=ml.ns.svc:8082, auth-service=_http._tcp.auth.ns.svc')).toEqual({
      'ml-service': { kind: 'address', host: 'ml.ns.svc', port: 8082 },
      'auth-service': { kind: 'srv', name: '_http._tcp.auth.ns.svc' },
    });
    expect(() => parseDnsServices('ml-service=ml.ns.svc')).toThrow(/"ml-service=ml.ns.svc" must look like/);
    expect(() => parseDnsServices('ml-service=ml.ns.svc:99999')).toThrow(/must look like/);
    expect(() => parseDnsServices('=ml.ns.svc:1')).toThrow(/must look like/);
  });
});

describe('DNS discovery when lookups fail', () => {
  it('keeps the last known instances through a server failure, and a missing name means none', async () => {
    let mode: 'ok' | 'servfail' | 'nxdomain' = 'ok';
    const fail = (code: string) => Object.assign(new Error(`query failed ${code}`), { code });
    const resolver: DnsResolver = {
      resolve4: async () => {
        if (mode === 'servfail') throw fail('ESERVFAIL');
        if (mode === 'nxdomain') throw fail('ENOTFOUND');
        return ['10.0.0.2', '10.0.0.1'];
      },
      resolve6: async () => {
        throw fail(mode === 'servfail' ? 'ESERVFAIL' : 'ENODATA');
      },
      resolveSrv: async () => [],
    };
    const discovery = dnsDiscovery({
      services: { api: { kind: 'address', host: 'api.ns.svc', port: 80 } },
      resolver,
      cacheMs: 0,
    });
    expect(await discovery.resolve('api')).toEqual(['http://10.0.0.1:80', 'http://10.0.0.2:80']);
    mode = 'servfail';
    expect(await discovery.resolve('api')).toEqual(['http://10.0.0.1:80', 'http://10.0.0.2:80']);
    mode = 'nxdomain';
    expect(await discovery.resolve('api')).toEqual([]);
    const cold = dnsDiscovery({
      services: { api: { kind: 'address', host: 'api.ns.svc', port: 80 } },
      resolver,
    });
    mode = 'servfail';
    await expect(cold.resolve('api')).rejects.toThrow(/DNS lookup for api failed/);
  });
});

const skip = skipUnlessBinary('dnsmasq', 'dnsmasq-base');

describe.skipIf(skip)('DNS discovery against a real DNS server (dnsmasq)', () => {
  let dns: RunningDns;
  beforeAll(async () => {
    dns = await startDnsmasq({
      hosts: {
        'ml-service-headless.opsmesh.test': ['127.0.0.11', '127.0.0.12'],
        'auth-0.auth.opsmesh.test': ['127.0.0.21'],
        'auth-1.auth.opsmesh.test': ['127.0.0.22'],
      },
      srv: [
        ['_http._tcp.auth.opsmesh.test', 'auth-0.auth.opsmesh.test', 9081],
        ['_http._tcp.auth.opsmesh.test', 'auth-1.auth.opsmesh.test', 9082],
      ],
    });
  });
  afterAll(() => dns?.stop());

  it('finds every pod of a headless service by its address records and follows changes', async () => {
    const discovery = discoveryFromEnv({
      DNS_SERVICES: 'ml-service=ml-service-headless.opsmesh.test:8082',
      DNS_SERVERS: dns.server,
    });
    expect(await discovery.resolve('ml-service')).toEqual([
      'http://127.0.0.11:8082',
      'http://127.0.0.12:8082',
    ]);
    const fresh = dnsDiscovery({
      services: parseDnsServices('ml-service=ml-service-headless.opsmesh.test:8082'),
      servers: [dns.server],
      cacheMs: 0,
    });
    await dns.setHosts({
      'ml-service-headless.opsmesh.test': ['127.0.0.12', '127.0.0.13'],
      'auth-0.auth.opsmesh.test': ['127.0.0.21'],
      'auth-1.auth.opsmesh.test': ['127.0.0.22'],
    });
    expect(await fresh.resolve('ml-service')).toEqual(['http://127.0.0.12:8082', 'http://127.0.0.13:8082']);
  });

  it('takes ports from SRV records and resolves their targets through the same server', async () => {
    const discovery = dnsDiscovery({
      services: parseDnsServices('auth-service=_http._tcp.auth.opsmesh.test'),
      servers: [dns.server],
    });
    expect(await discovery.resolve('auth-service')).toEqual([
      'http://127.0.0.21:9081',
      'http://127.0.0.22:9082',
    ]);
    expect(await discovery.services()).toEqual({
      'auth-service': ['http://127.0.0.21:9081', 'http://127.0.0.22:9082'],
    });
  });
});

describe('DNS lookups in a trace', () => {
  it('makes a client span per record looked up under the active span, naming the question', async () => {
    const tracing = startTestTracing();
    try {
      const resolver: DnsResolver = {
        resolve4: async () => ['10.0.0.1'],
        resolve6: async () => [],
        resolveSrv: async () => [],
      };
      const discovery = dnsDiscovery({
        services: { api: { kind: 'address', host: 'api.ns.svc', port: 80 } },
        resolver,
        cacheMs: 0,
      });
      await inSpan('call', {}, () => discovery.resolve('api'));
      const span = tracing.spans().find((s) => s.name === 'dns A/AAAA api.ns.svc');
      expect(span?.attributes).toMatchObject({ 'dns.question.name': 'api.ns.svc', 'opsmesh.dns.answers': 1 });
    } finally {
      await tracing.shutdown();
    }
  });
});
