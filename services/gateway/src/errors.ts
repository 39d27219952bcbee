import { defineErrors } from '@opsmesh/shared';

/** The gateway's one error catalogue; codes are stable and never reused. */
export const gatewayErrors = defineErrors({
  GATEWAY_ROUTE_NOT_FOUND: {
    status: 404,
    title: 'No route',
    detail: (p: { method: string; path: string }) =>
      `No gateway route matches ${p.method} ${p.path}; the API lives under /api/auth, /api/ml, /api/monitoring and /api/chatops.`,
  },
  GATEWAY_INTERNAL_PATH: {
    status: 404,
    title: 'No route',
    detail: (p: { method: string; path: string; upstream: string }) =>
      `${p.method} ${p.path} would reach ${p.upstream}'s own health, metrics or span-receiver endpoint, which serves the platform's probes, scrapers and exporters inside the network, not callers of the gateway; the gateway's /health/ready says how the platform is.`,
  },
  GATEWAY_BAD_PATH: {
    status: 400,
    title: 'Bad request',
    detail: (p: { reason: string }) => `The request path ${p.reason}.`,
  },
  GATEWAY_METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'Method not allowed',
    detail: (p: { method: string; path: string; allowed: string }) =>
      `${p.method} is not routed for ${p.path}; use one of ${p.allowed}.`,
  },
  GATEWAY_CREDENTIAL_NOT_ACCEPTED: {
    status: 401,
    title: 'Authentication required',
    detail: (p: { kind: string; accepted: string }) =>
      `This route does not accept ${p.kind} credentials; send ${p.accepted}.`,
  },
  GATEWAY_PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Payload too large',
    detail: (p: { limit: number }) =>
      `The request body exceeds the limit of ${p.limit} bytes for this route; send less.`,
  },
  GATEWAY_BAD_JSON_BODY: {
    status: 400,
    title: 'Bad request',
    detail: (p: { reason: string }) => `The JSON body could not be read: ${p.reason}`,
  },
  GATEWAY_RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    detail: (p: { route: string; retryAfter: number }) =>
      `The rate limit of route ${p.route} is reached; retry in ${p.retryAfter} s.`,
  },
  GATEWAY_TOO_MANY_CONNECTIONS: {
    status: 429,
    title: 'Too many connections',
    detail: (p: { max: number }) =>
      `This client address already holds ${p.max} open connections to the gateway (MAX_CONNECTIONS_PER_CLIENT); send more requests over the connections it has (keep-alive) or close some, then retry.`,
  },
  GATEWAY_BAD_GATEWAY: {
    status: 502,
    title: 'Bad gateway',
    detail: (p: { upstream: string }) => `The upstream ${p.upstream} failed to answer; retry shortly.`,
  },
  GATEWAY_UPSTREAM_CLOSED_DURING_BODY: {
    status: 502,
    title: 'Bad gateway',
    detail: (p: { upstream: string }) =>
      `The upstream ${p.upstream} closed the connection before reading the whole request body, without an answer the gateway could read; it may not accept a body this large.`,
  },
  GATEWAY_UPSTREAM_UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    detail: (p: { upstream: string }) => `No healthy instance of ${p.upstream} is available; retry shortly.`,
  },
  GATEWAY_UPSTREAM_TIMEOUT: {
    status: 504,
    title: 'Gateway timeout',
    detail: (p: { upstream: string; timeoutMs: number }) =>
      `The upstream ${p.upstream} did not answer within ${p.timeoutMs} ms.`,
  },
});
