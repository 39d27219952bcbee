import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Attributes, Span } from '@opentelemetry/api';
import {
  type AppError,
  chooseTrace,
  commonErrors,
  type ForwardedClient,
  forwardedClient,
  type Identity,
  isAppError,
  lingerOnClose,
  PROBLEM_CONTENT_TYPE,
  recordServerSpan,
  requestIdFrom,
  serverSpan,
  toProblem,
  traceparentOf,
  translateError,
  unsampledSpan,
} from '@opsmesh/shared';
import type { Dispatcher } from 'undici';
import { authenticateRoute } from '../auth/route-authenticator.js';
import { gatewayErrors } from '../errors.js';
import { KIT_ROUTE } from '../metrics/gateway-metrics.js';
import { pushCorsHeaders, pushPreflightHeaders } from '../plugins/cors.js';
import { SECURITY_HEADERS } from '../plugins/security-headers.js';
import type { RateLimitDecision, RateLimiter } from '../rate-limit/rate-limiter.js';
import type { CompiledRoute, RouteMatch } from '../router/compiled-route.js';
import { transformQuery } from '../transform/field-ops.js';
import type { UpstreamInstance } from '../upstream/upstream-instance.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import { type ExchangeFacts, logEnabled, logExchange, recordExchange } from './exchange-record.js';
import { classifyFailure } from './failure-kind.js';
import { nulInQuery } from './nul-check.js';
import type { ProxyContext } from './proxy-context.js';
import { hasBody, requestBody } from './request-body.js';
import { isServiceInternalPath, type RequestTarget } from './request-target.js';
import { MAX_TRANSFORMED_BYTES, needsBodyTransform, transformJsonAnswer } from './response-body.js';
import type { UpstreamClient } from './upstream-clients.js';
import { answerHeaders, upstreamHeaders } from './upstream-headers.js';

const NO_ATTRIBUTES = Object.freeze({});
/** Before the upstream call is prepared: nothing to send yet, and no array made for it. */
const NO_HEADERS: string[] = [];
/** Bytes of an answer the gateway holds for a slow client before it stops reading the upstream. */
const RESPONSE_BUFFER = 256 * 1024;

/** Where a response keeps the exchange answering it, for the shared `close` listener. */
const EXCHANGE = Symbol('proxyExchange');
type OwnedResponse = ServerResponse & { [EXCHANGE]?: ProxyExchange };

/** Requests that may be sent twice: idempotent methods carrying no body already streamed. */
function retriable(req: IncomingMessage): boolean {
  const m = req.method;
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return true;
  return (m === 'PUT' || m === 'DELETE') && !hasBody(req);
}

/** Replaces a header in flat name/value pairs, or adds it. */
function setPair(pairs: string[], name: string, value: string): void {
  for (let i = 0; i < pairs.length; i += 2) {
    if (pairs[i] === name) {
      pairs[i + 1] = value;
      return;
    }
  }
  pairs.push(name, value);
}

/**
 * One proxied request, from the client's socket to an upstream and back, on node:http and an
 * undici pool without Fastify's per-request machinery: route match, CORS, security headers,
 * body limits, auth, rate limit, transforms, then the upstream call streaming both ways. A
 * connection failure or reset of an idempotent request is retried once on another instance;
 * every failure counts for passive health, and an unanswered request ends as 502/503/504
 * naming the upstream, never as a hang. The object is the undici handler of its own attempts,
 * so a request costs one object and one listener on the way through.
 */
export class ProxyExchange implements Dispatcher.DispatchHandler, ExchangeFacts {
  readonly started = performance.now();
  readonly requestId: string;
  /** The server span: a no-op one when the trace is not sampled. */
  readonly span: Span;
  readonly path: string;
  readonly query: string;
  /** Headers the gateway puts on the answer, as flat name/value pairs with lower-case names. */
  readonly headers: string[];
  route: CompiledRoute | undefined;
  identity: Identity | null = null;
  instance: UpstreamInstance | undefined;
  attempts = 0;
  status = 0;
  target = '';
  upstreamClient: UpstreamClient | undefined;
  upstreamStatus = 0;
  upstreamMs = -1;
  /** `performance.now()` at the latest attempt's dispatch, for a sampled request's span. */
  #dispatchedAt = 0;
  #pool: UpstreamPool | undefined;
  #match: Extract<RouteMatch, { kind: 'route' }> | undefined;
  #client: ForwardedClient | undefined;
  #bodyLimit = 0;
  #upstreamHeaders: string[] = NO_HEADERS;
  #body: Readable | Buffer | null = null;
  #abort: ((err?: Error) => void) | undefined;
  #answered = false;
  #buffered: Buffer[] | undefined;
  #bufferedBytes = 0;
  #answer: string[] | undefined;
  #resume: (() => void) | undefined;
  #clientGone = false;
  #done = false;
  /** The server span's `traceparent`, made once: the upstream's server span is the child of that span. */
  #traceparent: string | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly requested: RequestTarget,
  ) {
    this.path = requested.path;
    this.query = requested.query;
    this.requestId = requestIdFrom(req.headers['x-request-id']);
    // The hot path: the sampler's decision is made without the SDK, a request it will not keep
    // makes no span, and one it keeps is recorded by the kit (`RecordedSpan`: a quarter of the
    // SDK span's cost). Only a sampler the kit does not mirror goes through the SDK.
    const choice = chooseTrace(req.headers);
    const method = req.method ?? 'GET';
    let traceparent: string | undefined;
    if (choice) {
      traceparent = choice.traceparent;
      this.span = choice.sampled
        ? recordServerSpan(choice, method, this.started, this.#startAttributes(method))
        : unsampledSpan(choice);
    } else {
      this.span = serverSpan(req.headers, method, NO_ATTRIBUTES).span;
      if (this.span.isRecording()) this.span.setAttributes(this.#startAttributes(method));
      traceparent = traceparentOf(this.span);
    }
    this.#traceparent = traceparent;
    this.headers = traceparent
      ? ['x-request-id', this.requestId, 'traceparent', traceparent, ...SECURITY_HEADERS]
      : ['x-request-id', this.requestId, ...SECURITY_HEADERS];
  }

  get clientAddress(): string | undefined {
    return this.#client?.ip;
  }

  /** What a sampled server span knows from its start. */
  #startAttributes(method: string): Attributes {
    return {
      'http.request.method': method,
      'url.path': this.path,
      'url.scheme': (this.req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
      'opsmesh.request_id': this.requestId,
      'http.route': KIT_ROUTE,
    };
  }

  /**
   * Handles the request to its end; anything thrown becomes a problem+json answer. The stages
   * run without a promise until one has to wait (a token not verified yet, a body to read, a
   * store that answers later), so a cached token, a local limit and a GET take none.
   */
  start(): void {
    try {
      this.#run()?.catch((err: unknown) => this.#fail(err));
    } catch (err) {
      this.#fail(err);
    }
  }

  #run(): Promise<void> | undefined {
    const { req, ctx } = this;
    if (!this.requested.ok) throw gatewayErrors.GATEWAY_BAD_PATH({ reason: this.requested.reason });
    const snapshot = ctx.live.current; // one snapshot per request, even across a reload
    const method = req.method ?? 'GET';
    const origin = req.headers.origin;
    const preflight = req.headers['access-control-request-method'];
    if (method === 'OPTIONS' && origin && typeof preflight === 'string') {
      const m = snapshot.table.match(preflight.toUpperCase(), this.path);
      const cors = m.kind === 'route' ? m.route.cors : snapshot.cors;
      if (cors) {
        const requested = req.headers['access-control-request-headers'];
        pushPreflightHeaders(
          this.headers,
          cors,
          origin,
          typeof requested === 'string' ? requested : undefined,
        );
        this.#answerEmpty(204);
        return undefined;
      }
    }
    const match = snapshot.table.match(method, this.path);
    if (match.kind !== 'route') {
      if (snapshot.cors) pushCorsHeaders(this.headers, snapshot.cors, origin);
      if (match.kind === 'method') {
        const allowed = match.allowed.join(', ');
        this.headers.push('allow', allowed);
        throw gatewayErrors.GATEWAY_METHOD_NOT_ALLOWED({ method, path: this.path, allowed });
      }
      throw gatewayErrors.GATEWAY_ROUTE_NOT_FOUND({ method, path: this.path });
    }
    const { route } = match;
    if (isServiceInternalPath(match.upstreamPath)) {
      if (route.cors) pushCorsHeaders(this.headers, route.cors, origin);
      throw gatewayErrors.GATEWAY_INTERNAL_PATH({
        method,
        path: this.path,
        upstream: route.service.upstream,
      });
    }
    this.route = route;
    if (route.cors) pushCorsHeaders(this.headers, route.cors, origin);
    const bodyLimit = route.bodyLimit ?? ctx.bodyLimit;
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > bodyLimit) {
      throw gatewayErrors.GATEWAY_PAYLOAD_TOO_LARGE({ limit: bodyLimit });
    }
    const client = forwardedClient(
      req.socket.remoteAddress ?? '',
      req.headers,
      ctx.proxies,
      ctx.forwardedHeaders,
    );
    this.#match = match;
    this.#client = client;
    this.#bodyLimit = bodyLimit;
    if (!route.auth.open) {
      const found = authenticateRoute(ctx.authenticator, route.auth, req.headers);
      if (found instanceof Promise) {
        return found.then((identity) => {
          this.identity = identity;
          return this.#limit();
        });
      }
      this.identity = found;
    }
    return this.#limit();
  }

  /** The route's rate limit, then the request goes on. */
  #limit(): Promise<void> | undefined {
    const route = this.route!;
    if (!route.limiter) return this.#send();
    const checked = route.limiter.check({ consumer: this.identity?.subject, ip: this.#client!.ip });
    if (checked instanceof Promise) {
      return checked.then((decision) => {
        this.#limited(decision, route.limiter!);
        return this.#send();
      });
    }
    this.#limited(checked, route.limiter);
    return this.#send();
  }

  /** The limit's answer fields (IETF `RateLimit-Policy` and `RateLimit`), and the refusal. */
  #limited(decision: RateLimitDecision, limiter: RateLimiter): void {
    if (decision.rateLimit)
      this.headers.push('ratelimit-policy', limiter.policyField, 'ratelimit', decision.rateLimit);
    if (decision.allowed) return;
    const route = this.route!;
    this.ctx.metrics.rateLimited.inc({ route: route.name });
    const retryAfter = decision.retryAfter;
    this.headers.push('retry-after', String(retryAfter));
    throw gatewayErrors.GATEWAY_RATE_LIMITED({ route: route.name, retryAfter });
  }

  /** Reads the body when it must be (a transform, a size to enforce first), then dispatches. */
  #send(): Promise<void> | undefined {
    const nul = nulInQuery(this.query);
    if (nul) throw commonErrors.BAD_REQUEST({ message: `${nul} contains a NUL character; remove it.` });
    const body = requestBody(this.req, this.#bodyLimit, this.route!.requestTransform);
    if (body instanceof Promise) {
      return body.then((read) => {
        this.#body = read;
        this.#go();
      });
    }
    this.#body = body;
    this.#go();
    return undefined;
  }

  #go(): void {
    const { req, ctx } = this;
    const route = this.route!;
    const match = this.#match!;
    const client = this.#client!;
    const ip = client.ip;
    const transform = route.requestTransform;
    const upstream = route.service.upstream;
    const pool = ctx.upstreams.get(upstream);
    const first = pool?.pick();
    if (!pool || !first) throw gatewayErrors.GATEWAY_UPSTREAM_UNAVAILABLE({ upstream });
    this.#pool = pool;

    const query = transform?.touchesQuery ? transformQuery(this.query, transform.query) : this.query;
    this.target = query ? `${match.upstreamPath}?${query}` : match.upstreamPath;
    this.#upstreamHeaders = upstreamHeaders(
      req.headers,
      {
        route: route.name,
        stripped: match.stripped,
        identity: this.identity,
        clientIp: ip,
        protocol: client.proto ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'),
        host: client.host ?? req.headers.host,
        requestId: this.requestId,
        traceparent: this.#traceparent,
      },
      transform,
      req.rawHeaders.length,
    );
    if (Buffer.isBuffer(this.#body))
      setPair(this.#upstreamHeaders, 'content-length', String(this.#body.length));
    if (req.socket.destroyed) {
      this.#clientGone = true;
      this.status = 499;
      this.#finish();
      return;
    }
    (this.res as OwnedResponse)[EXCHANGE] = this;
    this.res.on('close', ProxyExchange.#closed);
    this.#dispatch(first);
  }

  #dispatch(instance: UpstreamInstance): void {
    const route = this.route!;
    this.instance = instance;
    this.attempts++;
    this.#pool!.start(instance);
    const client = this.ctx.clients.get(instance.url);
    this.upstreamClient = client;
    if (this.span.isRecording()) this.#dispatchedAt = performance.now();
    this.#upstreamHeaders[1] = client.host;
    this.#abort = undefined;
    client.pool.dispatch(
      {
        path: client.basePath ? client.basePath + this.target : this.target,
        method: this.req.method as Dispatcher.HttpMethod,
        headers: this.#upstreamHeaders,
        body: this.#body,
        headersTimeout: route.readTimeoutMs,
        bodyTimeout: route.readTimeoutMs,
      },
      this,
    );
  }

  /**
   * The one `close` listener every response shares, finding its exchange on the response: a
   * closure and `once`'s wrapper (a state object and a bound function) per request cost
   * ~0.2 KB of garbage each time (bench/gateway, BENCH_ONLY=alloc).
   */
  static readonly #closed = function (this: OwnedResponse): void {
    const exchange = this[EXCHANGE];
    if (exchange) exchange.#onClientClose();
  };

  #onClientClose(): void {
    if (this.#done) return;
    this.#clientGone = true;
    this.#abort?.(new Error('the client closed the connection'));
  }

  // undici's handler interface: one call per stage of an attempt.

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#clientGone) abort(new Error('the client closed the connection'));
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.#answered = true;
    this.#pool!.succeed(this.instance!);
    this.status = statusCode;
    this.upstreamStatus = statusCode;
    this.#upstreamTook();
    const transform = this.route!.responseTransform;
    const headers = answerHeaders(this.headers, raw, transform);
    this.#resume = resume;
    if (this.req.method !== 'HEAD' && needsBodyTransform(transform, headers)) {
      this.#buffered = [];
      this.#bufferedBytes = 0;
      this.#answer = headers;
      return true;
    }
    return this.#writeHead(statusCode, headers);
  }

  /**
   * Sends the answer's status and headers; an upstream header Node refuses to send (a
   * control character, a bad name) makes the answer a 502 instead of a cut connection.
   */
  #writeHead(statusCode: number, headers: string[]): boolean {
    try {
      this.#head(statusCode, headers);
      return true;
    } catch (err) {
      const upstream = this.route!.service.upstream;
      this.#warn({ upstream, instance: this.instance?.url, err }, 'upstream answer headers refused');
      this.#fail(gatewayErrors.GATEWAY_BAD_GATEWAY({ upstream }));
      this.#abort?.(err as Error);
      return false;
    }
  }

  onData(chunk: Buffer): boolean {
    if (this.#done) return true;
    if (this.#buffered) {
      this.#buffered.push(chunk);
      this.#bufferedBytes += chunk.length;
      if (this.#bufferedBytes <= MAX_TRANSFORMED_BYTES) return true;
      // Bigger than announced (or sent without a length): pass it on unchanged after all.
      const held = this.#buffered;
      this.#buffered = undefined;
      if (!this.#writeHead(this.status, this.#answer!)) return false;
      for (let i = 0; i < held.length - 1; i++) this.res.write(held[i]);
      chunk = held[held.length - 1]!;
    }
    this.res.write(chunk);
    // Backpressure past RESPONSE_BUFFER bytes rather than the socket's 16 KiB mark: pausing and
    // resuming the upstream at every 64 KiB chunk held a streamed 1 MiB answer to a fraction of
    // nginx's throughput (bench/gateway).
    if (this.res.writableLength <= RESPONSE_BUFFER) return true;
    // undici pauses reading the upstream until the client has taken what is buffered.
    this.#awaitDrain();
    return false;
  }

  /**
   * Resumes the upstream once the client has taken what is buffered. A client that takes none of
   * it for `sendTimeoutMs` (nginx's `send_timeout`, 60 s: the time between two successful writes,
   * not for the whole answer) is cut: one that stops reading would otherwise hold its socket and a
   * connection of the upstream's pool (128) for as long as it likes, and a few hundred of them
   * would leave every other caller of that upstream queued.
   */
  #awaitDrain(): void {
    const res = this.res;
    // Shrinks each time the kernel takes a write (one upstream chunk, up to 64 KiB).
    let left = res.writableLength;
    const check = () => {
      const now = res.writableLength;
      if (now < left) {
        left = now;
        stalled.refresh();
        return;
      }
      res.off('drain', drained);
      logExchange(
        this.ctx,
        this,
        'info',
        { sendTimeoutMs: this.ctx.sendTimeoutMs },
        'client stopped reading the answer; connection cut',
      );
      res.destroy();
    };
    const stalled = setTimeout(check, this.ctx.sendTimeoutMs);
    stalled.unref();
    const drained = () => {
      clearTimeout(stalled);
      this.#resume!();
    };
    res.once('drain', drained);
  }

  onComplete(): void {
    if (this.#done) return;
    if (this.#buffered) {
      const body = transformJsonAnswer(Buffer.concat(this.#buffered), this.route!.responseTransform!);
      const headers = this.#answer!;
      setPair(headers, 'content-length', String(body.length));
      if (!this.#writeHead(this.status, headers)) return;
      this.res.end(body);
    } else {
      this.res.end();
    }
    this.#finish();
  }

  onError(err: Error & { code?: string }): void {
    if (this.#done) return;
    const route = this.route!;
    const pool = this.#pool!;
    const instance = this.instance!;
    const upstream = route.service.upstream;
    if (this.#answered) {
      // The answer has begun: nothing else can be said; cutting the connection tells the
      // client it was truncated.
      this.#warn({ upstream, instance: instance.url, err }, 'upstream answer broke off');
      this.res.destroy(err);
      this.#finish();
      return;
    }
    this.#upstreamTook();
    const cause = isAppError(err) ? err : isAppError(err.cause) ? err.cause : undefined;
    if (cause?.code === 'GATEWAY_PAYLOAD_TOO_LARGE') {
      pool.release(instance);
      this.#fail(cause);
      return;
    }
    const kind = classifyFailure(err);
    if ((this.#clientGone || this.req.socket.destroyed) && kind !== 'timeout') {
      pool.release(instance); // the client left; the instance did nothing wrong
      this.status = 499;
      this.#finish();
      return;
    }
    if (kind === 'reset' && !this.req.complete && hasBody(this.req)) {
      // The upstream stopped reading while the client was still sending: it refused this body
      // (an early 413 whose answer the reset swallowed). The request caused it, not the
      // instance: no ejection, no retry.
      pool.release(instance);
      this.#warn(
        { upstream, instance: instance.url, err: err.cause ?? err },
        'upstream closed during the request body',
      );
      this.#fail(gatewayErrors.GATEWAY_UPSTREAM_CLOSED_DURING_BODY({ upstream }));
      return;
    }
    const ejected = pool.fail(instance);
    this.ctx.metrics.upstreamErrors.inc({ upstream, kind });
    this.#warn(
      { upstream, instance: instance.url, kind, ejected, attempt: this.attempts, err: err.cause ?? err },
      'upstream attempt failed',
    );
    if (
      (kind === 'connect' || kind === 'reset') &&
      this.attempts <= route.service.retries &&
      retriable(this.req)
    ) {
      const next = pool.pick(instance);
      if (next) {
        this.#dispatch(next);
        return;
      }
    }
    this.#fail(
      kind === 'timeout'
        ? gatewayErrors.GATEWAY_UPSTREAM_TIMEOUT({ upstream, timeoutMs: route.readTimeoutMs })
        : kind === 'connect' && !pool.pick()
          ? gatewayErrors.GATEWAY_UPSTREAM_UNAVAILABLE({ upstream })
          : gatewayErrors.GATEWAY_BAD_GATEWAY({ upstream }),
    );
  }

  /** For a sampled request's span: how long the latest attempt took, from its dispatch until now. */
  #upstreamTook(): void {
    if (this.#dispatchedAt)
      this.upstreamMs = Math.round((performance.now() - this.#dispatchedAt) * 1000) / 1000;
  }

  #answerEmpty(status: number): void {
    this.status = status;
    this.#head(status, this.headers);
    this.res.end();
    this.#finish();
  }

  /**
   * Sends status and headers; once shutdown began, the answer also closes its keep-alive
   * connection. An answer given before the client finished sending its body (the gateway's or
   * the upstream's early 413) closes the connection after a lingering read of the rest, so
   * the client reads the answer rather than a reset.
   */
  #head(status: number, headers: string[]): void {
    if (this.ctx.draining()) setPair(headers, 'connection', 'close');
    else if (!this.req.complete && hasBody(this.req)) {
      setPair(headers, 'connection', 'close');
      lingerOnClose(this.req.socket);
    }
    this.res.writeHead(status, headers);
  }

  /** Answers problem+json, serialized by the kit as every service's errors are. */
  #fail(err: unknown): void {
    if (this.#done) return;
    if (this.res.destroyed || this.req.socket.destroyed) {
      // The client left first (an upload cut short, say): nobody to answer, nothing failed here.
      this.status = 499;
      this.#finish();
      return;
    }
    const problem: AppError = translateError(err);
    if (problem.status >= 500) logExchange(this.ctx, this, 'error', { err }, 'request failed');
    else if (logEnabled(this.ctx.log, 'info'))
      logExchange(this.ctx, this, 'info', { code: problem.code, detail: problem.detail }, 'request rejected');
    this.status = problem.status;
    if (this.res.headersSent) {
      this.res.destroy();
      this.#finish();
      return;
    }
    const headers = this.headers;
    for (const name in problem.headers) headers.push(name, problem.headers[name]!);
    const body = JSON.stringify(toProblem(problem, { id: this.requestId, url: this.req.url ?? '/' }));
    headers.push('content-type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    headers.push('content-length', String(Buffer.byteLength(body)));
    this.#head(problem.status, headers);
    this.res.end(body);
    this.#finish();
  }

  #warn(fields: Record<string, unknown>, message: string): void {
    logExchange(this.ctx, this, 'warn', fields, message);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    // What the client still sends of a body nobody reads any more is dropped, not buffered.
    if (!this.req.complete && hasBody(this.req)) {
      this.req.unpipe();
      this.req.resume();
    }
    recordExchange(this.ctx, this);
  }
}
