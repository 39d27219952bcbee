import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { kitTracer } from '../service/trace-context.js';
import { cachedDiscovery, type Discovery } from './discovery.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** The first key after every key that starts with `prefix` (etcd's prefix range end). */
function prefixEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      bytes[i]!++;
      return bytes.subarray(0, i + 1).toString('base64');
    }
  }
  return b64('\0');
}

/**
 * One etcd v3 JSON call, in a client span (`etcd /v3/kv/range`) when a sampled trace is active:
 * the operation, not just the HTTP request, is what a trace reader looks for. The span's context
 * goes out with the call, so the fetch instrumentation does not count it a second time.
 */
async function call<T>(base: string, path: string, body: unknown, timeoutMs = 3000): Promise<T> {
  const parent = context.active();
  const span = trace.getSpan(parent)?.isRecording()
    ? kitTracer().startSpan(
        `etcd ${path}`,
        {
          kind: SpanKind.CLIENT,
          attributes: { 'db.system.name': 'etcd', 'db.operation.name': path, 'server.address': base },
        },
        parent,
      )
    : undefined;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (span) propagation.inject(trace.setSpan(parent, span), headers);
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`etcd ${path} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  } catch (err) {
    span?.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span?.end();
  }
}

export const ETCD_PREFIX = '/opsmesh/services/';

/**
 * Discovery from etcd (v3 JSON API): instances live under `/opsmesh/services/<service>/<id>` with
 * a lease, so a crashed instance disappears when its lease expires. Reads are cached for
 * `cacheMs`; a failed read keeps serving the last known instances.
 *
 * @example
 * const discovery = etcdDiscovery({ url: 'http://127.0.0.1:2379' });
 */
export function etcdDiscovery(options: { url: string; prefix?: string; cacheMs?: number }): Discovery {
  const base = options.url.replace(/\/+$/, '');
  const prefix = options.prefix ?? ETCD_PREFIX;
  const cacheMs = options.cacheMs ?? 1000;
  return cachedDiscovery(async () => {
    const res = await call<{ kvs?: { key: string; value: string }[] }>(base, '/v3/kv/range', {
      key: b64(prefix),
      range_end: prefixEnd(prefix),
    });
    const map: Record<string, string[]> = {};
    for (const kv of res.kvs ?? []) {
      const [service] = unb64(kv.key).slice(prefix.length).split('/');
      try {
        const { url } = JSON.parse(unb64(kv.value)) as { url?: string };
        if (service && url) {
          map[service] ??= [];
          map[service].push(url.replace(/\/+$/, ''));
        }
      } catch {
        // A value that is not ours is ignored rather than breaking discovery for everyone.
      }
    }
    return map;
  }, cacheMs);
}

/** The shortest lease: kept alive at a third of it, never more often than once a second. */
export const MIN_DISCOVERY_TTL_SECONDS = 2;

/**
 * Announces one instance in etcd under a lease of `ttlSeconds` (10 by default), kept alive at a
 * third of it: a process that dies without stopping leaves discovery when the lease lapses. The
 * returned `close()` revokes the lease so the instance leaves at once on shutdown.
 *
 * @example
 * const registration = await registerInEtcd({ url, service: 'ml-service', instanceUrl, ttlSeconds: 3 });
 * await registration.close(); // gone from discovery now, not in 3 s
 */
export async function registerInEtcd(options: {
  url: string;
  service: string;
  instanceUrl: string;
  instanceId?: string;
  ttlSeconds?: number;
  prefix?: string;
  onError?: (err: unknown) => void;
}): Promise<{ close(): Promise<void>; key: string }> {
  const base = options.url.replace(/\/+$/, '');
  const ttl = options.ttlSeconds ?? 10;
  if (!Number.isInteger(ttl) || ttl < MIN_DISCOVERY_TTL_SECONDS)
    throw new Error(
      `the discovery lease TTL must be a whole number of seconds, at least ${MIN_DISCOVERY_TTL_SECONDS}; got ${ttl}`,
    );
  let closed = false;
  const key = `${options.prefix ?? ETCD_PREFIX}${options.service}/${options.instanceId ?? `${process.pid}-${options.instanceUrl.replace(/\W+/g, '_')}`}`;
  let lease = '';

  async function announce(): Promise<void> {
    const grant = await call<{ ID: string }>(base, '/v3/lease/grant', { TTL: ttl });
    lease = grant.ID;
    await call(base, '/v3/kv/put', {
      key: b64(key),
      value: b64(JSON.stringify({ url: options.instanceUrl })),
      lease,
    });
    // Closed while re-announcing (etcd had been away): the lease close() revoked was the old one.
    if (closed) await call(base, '/v3/lease/revoke', { ID: grant.ID });
  }

  await announce();
  const timer = setInterval(
    () => {
      call<{ result?: { TTL?: string } }>(base, '/v3/lease/keepalive', { ID: lease })
        .then((res) => {
          // A lease that expired meanwhile (etcd unreachable for a while) comes back with TTL 0.
          if (!res.result?.TTL || res.result.TTL === '0') return announce();
        })
        .catch((err) => options.onError?.(err));
    },
    Math.max(1000, (ttl * 1000) / 3),
  );
  timer.unref();
  return {
    key,
    async close() {
      closed = true;
      clearInterval(timer);
      await call(base, '/v3/lease/revoke', { ID: lease }).catch((err) => options.onError?.(err));
    },
  };
}
