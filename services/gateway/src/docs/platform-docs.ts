import type { LiveConfig } from '../config/live-config.js';
import type { GatewaySnapshot } from '../router/gateway-snapshot.js';
import type { UpstreamRegistry } from '../upstream/upstream-registry.js';
import { type MountedDoc, mergeOpenApi, type OpenApiDoc } from './merge-openapi.js';

export interface PlatformDocsDeps {
  live: LiveConfig<GatewaySnapshot>;
  upstreams: UpstreamRegistry;
  /** The gateway's own document (its admin routes). */
  own: () => OpenApiDoc;
  version: string;
  /** How long a merged document is served before the services are asked again. */
  ttlMs?: number;
  fetchTimeoutMs?: number;
  now?: () => number;
}

/** Where a service's API is mounted at the gateway: the prefix its routes strip. */
function mountOf(snapshot: GatewaySnapshot, serviceName: string): string | undefined {
  const service = snapshot.config.services.find((s) => s.name === serviceName);
  for (const route of service?.routes ?? []) {
    if (typeof route.strip_path === 'string') return route.strip_path.replace(/\/$/, '');
    if (route.strip_path === true) {
      return route.paths.reduce((a, b) => (a.length <= b.length ? a : b)).replace(/\/$/, '');
    }
  }
  return undefined;
}

/**
 * The platform's merged OpenAPI document, made from every service's `/docs/json` and kept for
 * a few seconds: the reference page and its JSON ask for it together, and a burst of readers
 * must not become a burst of calls to every service. A service that does not answer is listed
 * under `x-opsmesh-unavailable` instead of failing the document.
 */
export class PlatformDocs {
  private cached: { doc: OpenApiDoc; at: number; configVersion: number } | undefined;
  private inflight: Promise<OpenApiDoc> | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: PlatformDocsDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The last merged document (empty of services until the first `refresh`). */
  get current(): OpenApiDoc {
    return this.cached?.doc ?? this.merge([], []);
  }

  /** A fresh-enough document: the cached one, or a new merge shared by concurrent callers. */
  async get(): Promise<OpenApiDoc> {
    const c = this.cached;
    const fresh =
      c && this.now() - c.at < (this.deps.ttlMs ?? 10_000) && c.configVersion === this.deps.live.version;
    if (fresh) return c.doc;
    this.inflight ??= this.build().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async build(): Promise<OpenApiDoc> {
    const configVersion = this.deps.live.version;
    const snapshot = this.deps.live.current;
    const unavailable: string[] = [];
    const found = await Promise.all(
      snapshot.config.services.map(async (service): Promise<MountedDoc | undefined> => {
        const mount = mountOf(snapshot, service.name);
        const instance = this.deps.upstreams.get(service.upstream)?.pick();
        if (!instance || mount === undefined) {
          unavailable.push(service.name);
          return undefined;
        }
        try {
          const res = await fetch(instance.url + (service.openapi_path ?? '/docs/json'), {
            signal: AbortSignal.timeout(this.deps.fetchTimeoutMs ?? 2_000),
          });
          if (!res.ok) throw new Error(`status ${res.status}`);
          return { name: service.name, mount, doc: (await res.json()) as OpenApiDoc };
        } catch {
          unavailable.push(service.name);
          return undefined;
        }
      }),
    );
    const docs = found.filter((d): d is MountedDoc => d !== undefined);
    const doc = this.merge(docs, unavailable);
    this.cached = { doc, at: this.now(), configVersion };
    return doc;
  }

  private merge(docs: MountedDoc[], unavailable: string[]): OpenApiDoc {
    return mergeOpenApi({
      title: 'opsmesh API',
      version: this.deps.version,
      description:
        'Every service of the platform as reached through the gateway. Log in with `POST /api/auth/login`, ' +
        'then send `Authorization: Bearer <access_token>` (or an API key in `X-API-Key`). Errors are ' +
        'RFC 9457 problem details (`application/problem+json`) with a stable `code` and the `requestId`.',
      docs: [{ name: 'gateway', mount: '', doc: this.deps.own() }, ...docs],
      unavailable,
    });
  }
}
