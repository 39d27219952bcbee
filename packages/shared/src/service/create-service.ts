import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Context, context, type Span } from '@opentelemetry/api';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { CircuitTelemetry } from '../http/circuit-telemetry.js';
import { settleUnreadBody } from '../http/lingering-close.js';
import { BODY_MIN_BYTES_PER_SECOND } from '../http/slow-body-guard.js';
import { parseTrustedProxies } from '../http/trusted-proxies.js';
import { type GuardedRoute, hoistAuthGuards } from '../identity/guards.js';
import type { Authenticator, Identity } from '../identity/types.js';
import { newId } from '../ids/new-id.js';
import { createLogger, markTraced } from '../logging/logger.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  installErrorHandling,
  installProtocolAnswers,
} from './error-handler.js';
import { type ReadinessCheck, runChecks } from './health.js';
import { installInputChecks } from './input-checks.js';
import { jsonBodyParser } from './json-body.js';
import { createServiceMetrics, installMetrics, type ServiceMetrics } from './metrics.js';
import { requestIdFrom } from './request-id.js';
import { installSingletonHeaderCheck } from './singleton-headers.js';
import { installSlowBodyGuard } from './slow-bodies.js';
import { endServerSpan, failSpan, startServerSpan, traceparentOf } from './trace-context.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's own name, as in discovery (`auth-service`). */
    serviceName: string;
    metrics: ServiceMetrics;
    authenticator: Authenticator | null;
    addReadinessCheck(name: string, check: ReadinessCheck): void;
    /** True once shutdown began: readiness answers 503 so balancers stop sending. */
    draining: boolean;
    /** Every route with an auth guard and what the guards demand (for the shared auth matrix). */
    guardedRoutes: readonly GuardedRoute[];
    /** This service's circuit breakers: pass `circuits.listener` to `createHttpClient`. */
    circuits: CircuitTelemetry;
  }
  interface FastifyContextConfig {
    /**
     * The route holds a request open on purpose (a long poll): it is counted, but its time is
     * left out of `http_request_duration_seconds`, where it would read as the service's latency
     * (a 25 s wait for news is not a slow answer) and fire latency alerts on an idle platform.
     */
    longPoll?: boolean;
    /**
     * Content codings the route decodes itself (`['gzip']`); a body in any other is refused with
     * 415 before it is read. None by default.
     */
    contentEncodings?: readonly string[];
  }
  interface FastifyRequest {
    /** The request's server span (a no-op one when unsampled or untraced). */
    span: Span;
    /** Set by `requireAuth()` / `requirePermission()`; null on open routes. */
    identity: Identity | null;
    /** Extra fields for this request's access line (e.g. the gateway's upstream and instance). */
    accessLog: Record<string, unknown> | null;
  }
}

export interface CreateServiceOptions {
  name: string;
  version: string;
  description?: string;
  logger?: FastifyBaseLogger;
  logLevel?: string;
  bodyLimit?: number;
  authenticator?: Authenticator | null;
  /** Collect process metrics (off in unit tests that build many apps). */
  processMetrics?: boolean;
  readinessTimeoutMs?: number;
  /**
   * Proxies whose `X-Forwarded-*` headers are believed (`TRUST_PROXY`: addresses, CIDRs,
   * `loopback`, `private`): the gateway in front, and only it. None by default: `request.ip`
   * is then the peer's address, whatever the request says.
   */
  trustProxy?: string | undefined;
  /**
   * The slowest a request body may arrive once 5 s of it have passed (`BODY_MIN_BYTES_PER_SECOND`,
   * 240 by default; 0 = no minimum): a slower one is answered 408 and its connection closed.
   */
  bodyMinBytesPerSecond?: number;
  /** The longest a request body may take to arrive, in ms (0, the default: no limit); then 408 and closed. */
  bodyTimeoutMs?: number;
  /** Serve the service's own OpenAPI document at `/docs/json` (the gateway serves a merged one there). */
  docsRoute?: boolean;
  /**
   * This process's id in the health answers, so whoever started it can tell its answers from
   * another process's on the same port: `OPSMESH_INSTANCE_ID` (the supervisor sets one per launch),
   * else a fresh `ins_` id.
   */
  instance?: string;
}

export type ServiceApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** How long a request's head (request line and headers) may take to arrive; then 408. */
export const HEADERS_TIMEOUT_MS = 20_000;

/** Probes, scrapes and span uploads make no spans: they would drown the traces worth reading. */
function untraced(path: string): boolean {
  return path.startsWith('/health/') || path === '/metrics' || path === '/v1/traces';
}

/**
 * Builds an un-started Fastify instance with everything a opsmesh service shares: request ids and
 * trace context, JSON logs, problem+json errors, health, metrics, OpenAPI and body limits.
 *
 * @example
 * const app = createService({ name: 'auth-service', version: '0.1.0' });
 * app.addReadinessCheck('database', () => db.ping());
 * await app.register(routes); await app.listen({ port: 8081, host: '127.0.0.1' });
 */
export function createService(options: CreateServiceOptions): ServiceApp {
  const logger =
    options.logger ??
    createLogger({ service: options.name, level: options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info' });
  const traced = new WeakMap<object, { span: Span; ctx: Context }>();
  const proxies = parseTrustedProxies(options.trustProxy);
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    requestIdHeader: false,
    // Fastify's own per-request lines are off: one access line per request is written below.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    // The server span starts with the request's logger, made once and already carrying the
    // trace ids (a second child per request would cost as much again on the hot path).
    childLoggerFactory: (logger, bindings, opts, rawReq) => {
      const url = rawReq.url ?? '/';
      const path = url.split('?', 1)[0]!;
      const started = startServerSpan(
        rawReq.headers,
        rawReq.method ?? 'GET',
        untraced(path)
          ? null
          : {
              'http.request.method': rawReq.method ?? 'GET',
              'url.path': path,
              'opsmesh.request_id': String(bindings['requestId']),
            },
        String(bindings['requestId']),
      );
      traced.set(rawReq, started);
      const sc = started.span.spanContext();
      return markTraced(logger.child({ ...bindings, trace_id: sc.traceId, span_id: sc.spanId }, opts));
    },
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    // Fastify walks X-Forwarded-For from the right with this, as the gateway does.
    trustProxy: proxies.none ? false : (address: string) => proxies.trusts(address),
    forceCloseConnections: 'idle',
    // A request's head must arrive within 20 s (Apache's mod_reqtimeout; Node's own 60 s checked
    // every 30 s let a client trickling header lines hold its socket for up to 90 s), checked
    // every 2 s. Keep-alive connections waiting for their next request are not affected.
    http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 2_000 },
    // Long ids must reach validation (a 400 naming the field), not the router's bare 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 8192 },
    ajv: {
      // `verbose` hands the failing schema to the error handler, so a pattern error can show its example.
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: true,
        verbose: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const checks = new Map<string, ReadinessCheck>();
  const metrics = createServiceMetrics(options.name, { defaultMetrics: options.processMetrics !== false });
  app.decorate('serviceName', options.name);
  app.decorate('metrics', metrics);
  app.decorate('authenticator', options.authenticator ?? null);
  app.decorate('draining', false);
  // Credentials before shape: every guard a route lists runs before its body is validated.
  const guardedRoutes: GuardedRoute[] = [];
  app.decorate('guardedRoutes', guardedRoutes);
  app.addHook('onRoute', (route) => {
    const guards = hoistAuthGuards(route);
    if (guards.length === 0) return;
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method !== 'HEAD') guardedRoutes.push({ method, url: route.url, guards });
    }
  });
  app.decorate('circuits', new CircuitTelemetry({ registry: metrics.registry, log: logger }));
  app.decorate('addReadinessCheck', (name: string, check: ReadinessCheck) => {
    checks.set(name, check);
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    jsonBodyParser(app.getDefaultJsonParser('error', 'error')),
  );
  app.decorateRequest('span', null as unknown as Span);
  app.decorateRequest('identity', null);
  app.decorateRequest('accessLog', null);

  // Each stage that Fastify starts from an I/O callback (after the body is read) re-enters the
  // request's context, so everything the handlers await runs under the server span.
  const enter = (request: { raw: object }, _reply: unknown, done: () => void) => {
    const t = traced.get(request.raw);
    if (t) context.with(t.ctx, done);
    else done();
  };
  app.addHook('onRequest', (request, reply, done) => {
    const t =
      traced.get(request.raw) ?? startServerSpan(request.headers, request.method, null, String(request.id));
    traced.set(request.raw, t);
    request.span = t.span;
    reply.header('x-request-id', request.id);
    const traceparent = traceparentOf(t.span);
    if (traceparent) reply.header('traceparent', traceparent);
    context.with(t.ctx, done);
  });
  app.addHook('preValidation', enter);
  app.addHook('preHandler', enter);
  app.addHook('onError', (request, _reply, error, done) => {
    if (request.span) failSpan(request.span, error);
    done();
  });
  // While draining, answers close their keep-alive connection so the server can finish closing;
  // a close without the shutdown handler (tests, embedders) drains the same way.
  app.addHook('onSend', async (request, reply) => {
    if (app.draining) reply.header('connection', 'close');
    // An answer sent before the body was read to its end (a 413 mid-upload, a guard's 401) must
    // reach the client: the rest of the upload is read and dropped, and a close lingers.
    if (!request.raw.complete && settleUnreadBody(request.raw, reply.getHeader('connection') === 'close'))
      reply.header('connection', 'close');
  });
  // Connections that go idle while closing (a keep-alive socket whose answer just went out, one
  // a client opened without sending anything) would hold close() open until their timeouts.
  let sweep: NodeJS.Timeout | null = null;
  app.addHook('preClose', async () => {
    app.draining = true;
    sweep = setInterval(() => app.server.closeIdleConnections?.(), 100);
    sweep.unref();
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    endServerSpan(request.span, request.method, route, reply.statusCode);
    if (route === '/health/live' || route === '/health/ready' || route === '/metrics') return;
    request.log.info(
      {
        method: request.method,
        url: request.url.split('?')[0],
        route,
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        subject: request.identity?.subject,
        ...request.accessLog,
      },
      'request completed',
    );
  });

  installInputChecks(app);
  installSingletonHeaderCheck(app);
  installSlowBodyGuard(
    app,
    options.bodyMinBytesPerSecond ?? BODY_MIN_BYTES_PER_SECOND,
    options.bodyTimeoutMs ?? 0,
  );

  app.addHook('onClose', async () => {
    if (sweep) clearInterval(sweep);
    await options.authenticator?.close?.();
  });

  installErrorHandling(app);
  installProtocolAnswers(app);
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.name, version: options.version, description: options.description ?? '' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json['$id'] ?? `def-${i}`) },
  });
  installMetrics(app, metrics);

  const HealthSchema = { hide: true } as const;
  const instance = options.instance ?? (process.env['OPSMESH_INSTANCE_ID'] || newId('ins'));
  app.get('/health/live', { schema: HealthSchema }, async () => ({
    status: 'ok',
    service: options.name,
    instance,
    version: options.version,
    uptimeSeconds: Math.round(process.uptime()),
  }));
  app.get('/health/ready', { schema: HealthSchema }, async (_request, reply) => {
    if (app.draining) {
      return reply
        .code(503)
        .send({ status: 'fail', service: options.name, instance, checks: [], draining: true });
    }
    const result = await runChecks(checks, options.readinessTimeoutMs ?? 2000);
    return reply
      .code(result.status === 'ok' ? 200 : 503)
      .send({ service: options.name, instance, ...result, circuits: app.circuits.list() });
  });
  if (options.docsRoute !== false)
    app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
