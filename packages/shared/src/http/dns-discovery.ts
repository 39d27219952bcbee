import { promises as dns } from 'node:dns';
import { isIPv6 } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { kitTracer } from '../service/trace-context.js';
import { cachedDiscovery, type Discovery } from './discovery.js';

/**
 * Where a service's instances are published in DNS: the address records of `host` with a fixed
 * `port` (a Kubernetes headless Service: one A record per ready pod), or the SRV records of an
 * `_service._proto.host` name, which carry each instance's port.
 */
export type DnsRecord = { kind: 'address'; host: string; port: number } | { kind: 'srv'; name: string };

/** The resolver calls DNS discovery makes; node's own by default. */
export interface DnsResolver {
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
  resolveSrv(name: string): Promise<Array<{ name: string; port: number }>>;
}

/**
 * Parses `DNS_SERVICES`: `name=host:port` (address records) or `name=_http._tcp.host` (SRV
 * records), comma-separated. Throws naming the bad entry.
 *
 * @example
 * parseDnsServices('ml-service=ml-service-headless.opsmesh.svc.cluster.local:8082')
 * // { 'ml-service': { kind: 'address', host: 'ml-service-headless.opsmesh.svc.cluster.local', port: 8082 } }
 */
export function parseDnsServices(text: string): Record<string, DnsRecord> {
  const out: Record<string, DnsRecord> = {};
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const target = entry.slice(eq + 1).trim();
    const hint = `DNS_SERVICES entry "${entry}" must look like name=host:port or name=_http._tcp.host`;
    if (eq <= 0 || target.length === 0) throw new Error(hint);
    if (target.startsWith('_')) {
      out[name] = { kind: 'srv', name: target };
      continue;
    }
    const colon = target.lastIndexOf(':');
    const port = Number(target.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(hint);
    out[name] = { kind: 'address', host: target.slice(0, colon), port };
  }
  return out;
}

/** "No such name" and "no records of that type" are answers: the service has no instances. */
const EMPTY_ANSWERS = new Set(['ENOTFOUND', 'ENODATA']);

async function addresses(resolver: DnsResolver, host: string): Promise<string[]> {
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
  const found = [
    ...(v4.status === 'fulfilled' ? v4.value : []),
    ...(v6.status === 'fulfilled' ? v6.value : []),
  ];
  if (found.length > 0) return found;
  for (const r of [v4, v6]) {
    if (r.status === 'rejected' && !EMPTY_ANSWERS.has((r.reason as { code?: string }).code ?? ''))
      throw r.reason;
  }
  return [];
}

const url = (ip: string, port: number) => `http://${isIPv6(ip) ? `[${ip}]` : ip}:${port}`;

/**
 * The lookups of one record, in a client span when a sampled trace is active. The official DNS
 * instrumentation covers `dns.lookup` only; discovery asks a `dns.Resolver` for A/AAAA/SRV
 * records, which no hook sees, so the span is made here.
 */
async function tracedInstancesOf(resolver: DnsResolver, record: DnsRecord): Promise<string[]> {
  const parent = context.active();
  if (!trace.getSpan(parent)?.isRecording()) return instancesOf(resolver, record);
  const name = record.kind === 'address' ? record.host : record.name;
  const span = kitTracer().startSpan(
    `dns ${record.kind === 'address' ? 'A/AAAA' : 'SRV'} ${name}`,
    { kind: SpanKind.CLIENT, attributes: { 'dns.question.name': name } },
    parent,
  );
  try {
    const found = await instancesOf(resolver, record);
    span.setAttribute('opsmesh.dns.answers', found.length);
    return found;
  } catch (err) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

async function instancesOf(resolver: DnsResolver, record: DnsRecord): Promise<string[]> {
  if (record.kind === 'address') {
    return (await addresses(resolver, record.host)).map((ip) => url(ip, record.port));
  }
  let targets: Array<{ name: string; port: number }>;
  try {
    targets = await resolver.resolveSrv(record.name);
  } catch (err) {
    if (EMPTY_ANSWERS.has((err as { code?: string }).code ?? '')) return [];
    throw err;
  }
  // SRV targets are host names; they are resolved here, through the same servers, to addresses.
  const lists = await Promise.all(
    targets.map(async (t) => (await addresses(resolver, t.name)).map((ip) => url(ip, t.port))),
  );
  return [...new Set(lists.flat())];
}

function nodeResolver(servers: string[] | undefined): DnsResolver {
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  if (servers?.length) resolver.setServers(servers);
  return resolver;
}

/**
 * Discovery from DNS, for Kubernetes headless Services: every ready pod is an address record, so
 * the gateway and the shared client balance over pods themselves (with their own health checks)
 * rather than through one virtual IP. Answers are cached for `cacheMs`; a service whose lookup
 * fails (timeout, server failure) keeps its last known instances, while a name with no records
 * means no instances.
 *
 * @example
 * const discovery = dnsDiscovery({ services: parseDnsServices(process.env.DNS_SERVICES!) });
 */
export function dnsDiscovery(options: {
  services: Record<string, DnsRecord>;
  /** DNS servers as `ip` or `ip:port`; the system's by default. */
  servers?: string[] | undefined;
  cacheMs?: number;
  resolver?: DnsResolver;
}): Discovery {
  const resolver = options.resolver ?? nodeResolver(options.servers);
  return cachedDiscovery(async (previous) => {
    const entries = await Promise.all(
      Object.entries(options.services).map(async ([service, record]) => {
        try {
          return [service, await tracedInstancesOf(resolver, record)] as const;
        } catch (err) {
          const known = previous?.[service];
          if (known) return [service, known] as const;
          throw new Error(`DNS lookup for ${service} failed: ${(err as Error).message}`);
        }
      }),
    );
    return Object.fromEntries(entries.map(([s, urls]) => [s, [...urls]]));
  }, options.cacheMs ?? 5000);
}
