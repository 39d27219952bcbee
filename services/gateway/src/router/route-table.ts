import type { Static } from '@sinclair/typebox';
import type {
  GatewayConfig,
  PluginEntry,
  RouteConfig,
  ServiceConfig,
} from '../config/gateway-config-schema.js';
import type {
  ApiKeyPluginSchema,
  BodyLimitPluginSchema,
  CorsConfig,
  JwtPluginSchema,
  RateLimitConfig,
  RequestTransformerConfig,
  ResponseTransformerConfig,
} from '../config/plugin-schemas.js';
import type { RateLimitStore } from '../rate-limit/rate-limit-store.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { compileTransform } from '../transform/transformers.js';
import type { CompiledRoute, RouteMatch } from './compiled-route.js';

export interface RateLimitStores {
  local: RateLimitStore;
  /**
   * The store of the `redis` policy for a sync interval (0: every hit decided in Redis);
   * absent when `REDIS_URL` is not set: `redis` routes then count locally.
   */
  redis: ((syncMs: number) => RateLimitStore) | undefined;
}

interface Entry {
  prefix: string;
  route: CompiledRoute;
  /** What the route strips when it matches through this prefix, without a trailing slash. */
  stripped: string;
}

/** Later layers override earlier ones by plugin name; disabled entries switch a plugin off. */
function resolvePlugins(...layers: PluginEntry[][]): Map<string, PluginEntry> {
  const out = new Map<string, PluginEntry>();
  for (const layer of layers) for (const p of layer) out.set(p.name, p);
  for (const [name, p] of out) if (!p.enabled) out.delete(name);
  return out;
}

function compileRoute(
  service: ServiceConfig,
  route: RouteConfig,
  globals: PluginEntry[],
  stores: RateLimitStores,
): CompiledRoute {
  const plugins = resolvePlugins(globals, service.plugins, route.plugins);
  const cfg = <T>(name: string) => plugins.get(name)?.config as T | undefined;
  const jwt = cfg<Static<typeof JwtPluginSchema>>('jwt');
  const apiKey = cfg<Static<typeof ApiKeyPluginSchema>>('api-key');
  const anonymous = plugins.has('anonymous');
  const rateLimit = cfg<RateLimitConfig>('rate-limit');
  const reqT = cfg<RequestTransformerConfig>('request-transformer');
  const resT = cfg<ResponseTransformerConfig>('response-transformer');
  const store =
    rateLimit?.policy === 'redis' && stores.redis ? stores.redis(rateLimit.sync_ms) : stores.local;
  return {
    name: route.name,
    service: { name: service.name, upstream: service.upstream, retries: service.retries },
    methods: route.methods ? new Set(route.methods) : null,
    strip: route.strip_path === true ? true : route.strip_path === false ? null : route.strip_path,
    connectTimeoutMs: route.connect_timeout ?? service.connect_timeout,
    readTimeoutMs: route.read_timeout ?? service.read_timeout,
    auth: {
      open: anonymous || (!jwt && !apiKey),
      jwt: Boolean(jwt) && !anonymous,
      apiKey: Boolean(apiKey) && !anonymous,
      permission: anonymous ? undefined : jwt?.permission,
    },
    limiter: rateLimit ? new RateLimiter(route.name, rateLimit, store) : undefined,
    requestTransform: reqT ? compileTransform(reqT) : undefined,
    responseTransform: resT ? compileTransform(resT) : undefined,
    cors: cfg<CorsConfig>('cors'),
    bodyLimit: cfg<Static<typeof BodyLimitPluginSchema>>('body-limit')?.bytes,
  };
}

function matches(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || prefix.endsWith('/') || path.charCodeAt(prefix.length) === 47; // '/'
}

/**
 * Routes of one config snapshot, matched by the longest path prefix on segment boundaries.
 *
 * @example
 * const table = RouteTable.build(config, stores);
 * table.match('GET', '/api/ml/v2/models') // { kind: 'route', upstreamPath: '/v2/models', ... }
 */
export class RouteTable {
  private constructor(
    private readonly entries: Entry[],
    readonly routes: CompiledRoute[],
  ) {}

  static build(config: GatewayConfig, stores: RateLimitStores): RouteTable {
    const entries: Entry[] = [];
    const routes: CompiledRoute[] = [];
    for (const service of config.services) {
      for (const route of service.routes) {
        const compiled = compileRoute(service, route, config.plugins, stores);
        routes.push(compiled);
        for (const prefix of route.paths)
          entries.push({ prefix, route: compiled, stripped: stripped(compiled, prefix) });
      }
    }
    entries.sort((a, b) => b.prefix.length - a.prefix.length);
    return new RouteTable(entries, routes);
  }

  match(method: string, path: string): RouteMatch {
    let allowed: string[] | undefined;
    for (const entry of this.entries) {
      // As in Kong, a route whose methods do not match is skipped: a shorter prefix may take it.
      if (!matches(entry.prefix, path)) continue;
      const { route } = entry;
      if (route.methods && !route.methods.has(method) && !(method === 'HEAD' && route.methods.has('GET'))) {
        allowed ??= [];
        allowed.push(...route.methods);
        continue;
      }
      return {
        kind: 'route',
        route,
        upstreamPath: upstreamPath(route, entry.prefix, path),
        stripped: entry.stripped,
      };
    }
    return allowed ? { kind: 'method', allowed: [...new Set(allowed)] } : { kind: 'none' };
  }
}

function stripped(route: CompiledRoute, matched: string): string {
  const strip = route.strip === true ? matched : route.strip;
  return strip ? strip.replace(/\/$/, '') : '';
}

function upstreamPath(route: CompiledRoute, matched: string, path: string): string {
  const strip = route.strip === true ? matched : route.strip;
  if (!strip) return path;
  const rest = path.slice(strip.endsWith('/') ? strip.length - 1 : strip.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
