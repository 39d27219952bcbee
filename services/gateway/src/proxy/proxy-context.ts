import type { Authenticator, ForwardedHeaderKind, ServiceMetrics, TrustedProxies } from '@opsmesh/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { LiveConfig } from '../config/live-config.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { GatewaySnapshot } from '../router/gateway-snapshot.js';
import type { UpstreamRegistry } from '../upstream/upstream-registry.js';
import type { UpstreamClients } from './upstream-clients.js';

/** Everything a proxied request needs, made once per gateway. */
export interface ProxyContext {
  live: LiveConfig<GatewaySnapshot>;
  upstreams: UpstreamRegistry;
  clients: UpstreamClients;
  authenticator: Authenticator;
  metrics: GatewayMetrics;
  /** The kit's RED metrics (`http_requests_total`...), which the monitoring service reads. */
  service: ServiceMetrics;
  log: FastifyBaseLogger;
  /** Proxies in front whose forwarding headers are believed (`TRUST_PROXY`), and which headers they write. */
  proxies: TrustedProxies;
  forwardedHeaders: ForwardedHeaderKind;
  /** Default request body limit, for routes without a body-limit plugin. */
  bodyLimit: number;
  /** How long a client may take none of an answer that waits for it before its connection is cut. */
  sendTimeoutMs: number;
  /** True once shutdown began (SIGTERM): answers close their keep-alive connection. */
  draining(): boolean;
}
