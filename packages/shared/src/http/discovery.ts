import { dnsDiscovery, parseDnsServices } from './dns-discovery.js';
import { etcdDiscovery } from './etcd-discovery.js';

/** Finds the instances of a service by its name (`auth-service`). */
export interface Discovery {
  /** Base URLs of the known instances, e.g. `['http://127.0.0.1:8081']`. */
  resolve(service: string): Promise<string[]>;
  /** Every service known, for scrapers and consoles. */
  services(): Promise<Record<string, string[]>>;
}

/**
 * Addresses from config: `OPSMESH_SERVICES="auth-service=http://127.0.0.1:8081,ml-service=http://a;http://b"`
 * or an object.
 *
 * @example
 * const discovery = staticDiscovery({ 'auth-service': ['http://127.0.0.1:8081'] });
 */
export function staticDiscovery(map: Record<string, readonly string[]>): Discovery {
  const copy: Record<string, string[]> = {};
  for (const [name, urls] of Object.entries(map)) copy[name] = urls.map((u) => u.replace(/\/+$/, ''));
  return {
    resolve: async (service) => copy[service] ?? [],
    services: async () => structuredClone(copy),
  };
}

/** Parses `name=url;url,name=url` into a static map. Throws naming the bad entry. */
export function parseServiceMap(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`service map entry "${entry}" must look like name=http://host:port`);
    const name = entry.slice(0, eq).trim();
    const urls = entry
      .slice(eq + 1)
      .split(';')
      .map((u) => u.trim())
      .filter(Boolean);
    for (const url of urls) {
      if (!/^https?:\/\/[^/]+/.test(url)) throw new Error(`service "${name}" has a bad URL "${url}"`);
    }
    out[name] = [...(out[name] ?? []), ...urls];
  }
  return out;
}

/** The local defaults: every service on loopback at its default port. */
export const DEFAULT_SERVICE_PORTS: Readonly<Record<string, number>> = {
  gateway: 8080,
  'auth-service': 8081,
  'ml-service': 8082,
  'monitoring-service': 8083,
  'chatops-service': 8084,
};

/**
 * Serves the service map `load` reads from a registry, cached for `cacheMs`; one load at a time,
 * and a failed load keeps serving the last known map (a registry outage must not empty every
 * upstream). `load` gets the last known map, to keep parts of it it could not refresh.
 */
export function cachedDiscovery(
  load: (previous: Record<string, string[]> | undefined) => Promise<Record<string, string[]>>,
  cacheMs: number,
): Discovery {
  let cache: { at: number; map: Record<string, string[]> } | null = null;
  let loading: Promise<Record<string, string[]>> | null = null;

  async function all(): Promise<Record<string, string[]>> {
    if (cache && Date.now() - cache.at < cacheMs) return cache.map;
    loading ??= load(cache?.map)
      .then((map) => {
        for (const urls of Object.values(map)) urls.sort();
        cache = { at: Date.now(), map };
        return map;
      })
      .catch((err) => {
        if (cache) return cache.map;
        throw err;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return {
    resolve: async (service) => [...((await all())[service] ?? [])],
    services: async () => structuredClone(await all()),
  };
}

/**
 * etcd when `ETCD_URL` is set; else DNS when `DNS_SERVICES` is set (Kubernetes headless
 * services); else static discovery from `OPSMESH_SERVICES`; else each service at
 * `127.0.0.1:<SERVICE>_PORT` or its default port.
 */
export function discoveryFromEnv(env: Record<string, string | undefined> = process.env): Discovery {
  if (env['ETCD_URL']) return etcdDiscovery({ url: env['ETCD_URL'] });
  if (env['DNS_SERVICES']) {
    return dnsDiscovery({
      services: parseDnsServices(env['DNS_SERVICES']),
      servers: env['DNS_SERVERS']
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
  }
  if (env['OPSMESH_SERVICES']) return staticDiscovery(parseServiceMap(env['OPSMESH_SERVICES']));
  const map: Record<string, string[]> = {};
  for (const [name, port] of Object.entries(DEFAULT_SERVICE_PORTS)) {
    const key = `${name
      .replace(/-service$/, '')
      .replace(/-/g, '_')
      .toUpperCase()}_PORT`;
    map[name] = [`http://127.0.0.1:${env[key] ?? port}`];
  }
  return staticDiscovery(map);
}
