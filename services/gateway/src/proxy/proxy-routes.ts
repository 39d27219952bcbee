import type { Authenticator } from '@opsmesh/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateRoute } from '../auth/route-authenticator.js';
import type { LiveConfig } from '../config/live-config.js';
import { gatewayErrors } from '../errors.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { answerPreflight, applyCors } from '../plugins/cors.js';
import { applySecurityHeaders } from '../plugins/security-headers.js';
import type { GatewaySnapshot } from '../router/gateway-snapshot.js';
import type { UpstreamRegistry } from '../upstream/upstream-registry.js';
import { forward } from './forward.js';
import type { ProxyState } from './proxy-state.js';
import { installStreamingBodies } from './request-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    gateway: ProxyState | null;
  }
}

export interface ProxyRoutesDeps {
  live: LiveConfig<GatewaySnapshot>;
  upstreams: UpstreamRegistry;
  authenticator: Authenticator;
  metrics: GatewayMetrics;
  /** Default request body limit, for routes without a body-limit plugin. */
  bodyLimit: number;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Everything not served by the gateway itself goes through the live route table. Registered
 * as its own encapsulated plugin so its streaming body handling does not touch the
 * gateway's own JSON routes.
 */
export async function proxyRoutes(app: FastifyInstance, deps: ProxyRoutesDeps): Promise<void> {
  const { live, upstreams, metrics } = deps;
  app.decorateRequest('gateway', null);
  installStreamingBodies(app, (r) => r.gateway ?? undefined);
  const observer = {
    upstreamError: (upstream: string, kind: string) => metrics.upstreamErrors.inc({ upstream, kind }),
  };

  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    applySecurityHeaders(reply);
    const snapshot = live.current; // one snapshot per request, even across a reload
    const q = request.url.indexOf('?');
    const path = q >= 0 ? request.url.slice(0, q) : request.url;
    const origin = request.headers.origin;
    const preflight = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && origin && typeof preflight === 'string') {
      const m = snapshot.table.match(preflight.toUpperCase(), path);
      const cors = m.kind === 'route' ? m.route.cors : snapshot.cors;
      if (cors) {
        const requested = request.headers['access-control-request-headers'];
        return answerPreflight(reply, cors, origin, typeof requested === 'string' ? requested : undefined);
      }
    }
    const match = snapshot.table.match(request.method, path);
    if (match.kind !== 'route') {
      if (snapshot.cors) applyCors(reply, snapshot.cors, origin);
      if (match.kind === 'method') {
        reply.header('allow', match.allowed.join(', '));
        throw gatewayErrors.GATEWAY_METHOD_NOT_ALLOWED({
          method: request.method,
          path,
          allowed: match.allowed.join(', '),
        });
      }
      throw gatewayErrors.GATEWAY_ROUTE_NOT_FOUND({ method: request.method, path });
    }
    const { route } = match;
    if (route.cors) applyCors(reply, route.cors, origin);
    const bodyLimit = route.bodyLimit ?? deps.bodyLimit;
    const state: ProxyState = {
      route,
      upstreamPath: match.upstreamPath,
      identity: null,
      bodyLimit,
      instance: undefined,
      attempts: 0,
      rateLimitHeaders: undefined,
    };
    request.gateway = state;
    const length = request.headers['content-length'];
    if (length !== undefined && Number(length) > bodyLimit) {
      throw gatewayErrors.GATEWAY_PAYLOAD_TOO_LARGE({ limit: bodyLimit });
    }
    const identity = await authenticateRoute(deps.authenticator, route.auth, request.headers);
    if (identity) {
      state.identity = identity;
      request.identity = identity;
    }
    if (route.limiter) {
      const decision = await route.limiter.check({ consumer: identity?.subject, ip: request.ip });
      reply.headers(decision.headers);
      if (!decision.allowed) {
        metrics.rateLimited.inc({ route: route.name });
        const retryAfter = Number(decision.headers['retry-after'] ?? 1);
        throw gatewayErrors.GATEWAY_RATE_LIMITED({ route: route.name, retryAfter });
      }
    }
  };

  app.addHook('onResponse', async (request, reply) => {
    const state = request.gateway;
    const route = state?.route.name ?? 'unmatched';
    const upstream = state?.route.service.upstream ?? 'none';
    metrics.requests.inc({ route, upstream, method: request.method, status_code: String(reply.statusCode) });
    metrics.duration.observe({ route, upstream }, reply.elapsedTime / 1000);
  });

  app.route({
    method: METHODS,
    url: '/*',
    onRequest,
    handler: (request, reply) => {
      const state = request.gateway!;
      const upstream = state.route.service.upstream;
      const pool = upstreams.get(upstream);
      if (!pool) throw gatewayErrors.GATEWAY_UPSTREAM_UNAVAILABLE({ upstream });
      return forward(request, reply, state, pool, observer);
    },
  });
}
