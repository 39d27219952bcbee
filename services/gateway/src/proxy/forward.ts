import { childSpan, formatTraceparent } from '@opsmesh/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { gatewayErrors } from '../errors.js';
import { transformHeaders, transformQuery } from '../transform/field-ops.js';
import type { UpstreamInstance } from '../upstream/upstream-instance.js';
import type { UpstreamPool } from '../upstream/upstream-pool.js';
import type { ProxyState } from './proxy-state.js';
import { needsBodyTransform, sendTransformedJson } from './response-body.js';
import { setForwardedHeaders, setIdentityHeaders, stripIdentityHeaders } from './upstream-headers.js';

export interface ForwardObserver {
  /** An attempt failed in a way that counts against the instance. */
  upstreamError(upstream: string, kind: FailureKind): void;
}

export type FailureKind = 'connect' | 'reset' | 'timeout' | 'other';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'EAI_AGAIN',
]);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

function classify(error: Error & { code?: string; cause?: { code?: string } }): FailureKind {
  const code = error.cause?.code ?? error.code ?? '';
  if (
    error.code === 'FST_REPLY_FROM_GATEWAY_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
  ) {
    return 'timeout';
  }
  if (CONNECT_CODES.has(code) || error.code === 'FST_REPLY_FROM_CONNECT_TIMEOUT') return 'connect';
  if (
    RESET_CODES.has(code) ||
    error.code === 'FST_REPLY_FROM_CONNECTION_RESET' ||
    error.code === 'FST_REPLY_FROM_UNDICI_SOCKET'
  ) {
    return 'reset';
  }
  return 'other';
}

/** Requests that may be sent twice: idempotent methods carrying no body we already streamed. */
function retriable(request: FastifyRequest): boolean {
  const m = request.method;
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return true;
  if (m !== 'PUT' && m !== 'DELETE') return false;
  const length = request.headers['content-length'];
  return (length === undefined || length === '0') && request.headers['transfer-encoding'] === undefined;
}

/**
 * Sends the request to one instance of the route's upstream through the pooled undici
 * agent, streaming both ways. A connection failure or reset on an idempotent request is
 * retried once on another instance; every failure is counted for passive health, and an
 * unanswered request ends as 502/503/504 naming the upstream, never as a hang.
 */
export function forward(
  request: FastifyRequest,
  reply: FastifyReply,
  state: ProxyState,
  pool: UpstreamPool,
  observer: ForwardObserver,
): FastifyReply {
  const { route } = state;
  const upstream = route.service.upstream;
  const first = pool.pick();
  if (!first) throw gatewayErrors.GATEWAY_UPSTREAM_UNAVAILABLE({ upstream });
  if (state.bodyStream) request.body = state.bodyStream;

  const q = request.url.indexOf('?');
  let query = q >= 0 ? request.url.slice(q + 1) : '';
  if (route.requestTransform?.touchesQuery) query = transformQuery(query, route.requestTransform.query);
  const target = state.upstreamPath + (query ? `?${query}` : '');
  const reqHeaderOps = route.requestTransform?.touchesHeaders ? route.requestTransform.headers : undefined;
  const resTransform = route.responseTransform;
  const traceparent = formatTraceparent(childSpan(request.trace));

  // The kit's access log line is written with request.log: binding the gateway's facts to it
  // gives one JSON line per request naming route, upstream, instance and attempts.
  const annotate = () => {
    request.accessLog = {
      gatewayRoute: route.name,
      upstream,
      instance: state.instance?.url,
      attempts: state.attempts,
    };
  };

  const attempt = (instance: UpstreamInstance, tried: number): void => {
    state.instance = instance;
    state.attempts = tried + 1;
    pool.start(instance);
    let settled = false;
    reply.from(instance.url + target, {
      timeout: route.readTimeoutMs,
      // reply-from's own retries go back to the same address; ours pick another instance.
      retryDelay: () => null,
      queryString: () => query,
      rewriteRequestHeaders: (_req, headers) => {
        stripIdentityHeaders(headers);
        setIdentityHeaders(headers, state.identity, route.name);
        setForwardedHeaders(headers, request.ip, request.protocol, request.headers.host);
        headers['x-request-id'] = String(request.id);
        headers.traceparent = traceparent;
        if (reqHeaderOps) transformHeaders(headers, reqHeaderOps);
        return headers;
      },
      rewriteHeaders: (headers) => {
        if (resTransform?.touchesHeaders) transformHeaders(headers, resTransform.headers);
        return headers;
      },
      onResponse: (_req, rep, raw) => {
        const res = raw as unknown as {
          stream: import('node:stream').Readable;
          headers: Record<string, unknown>;
        };
        settled = true;
        pool.succeed(instance);
        annotate();
        const stream = res.stream;
        if (needsBodyTransform(resTransform, res.headers)) {
          sendTransformedJson(rep as FastifyReply, stream, resTransform!).catch((err) => rep.send(err));
        } else {
          rep.send(stream);
        }
      },
      onError: (rep, { error }) => {
        if (settled) return;
        settled = true;
        const err = error as Error & { code?: string; cause?: { code?: string } };
        // A request body not read to its end leaves the connection unusable: close it after answering.
        if (!request.raw.complete) rep.header('connection', 'close');
        if (
          err.cause instanceof Error &&
          (err.cause as { code?: string }).code === 'GATEWAY_PAYLOAD_TOO_LARGE'
        ) {
          pool.release(instance);
          rep.send(err.cause);
          return;
        }
        const kind = classify(err);
        if (request.raw.destroyed && kind !== 'timeout') {
          pool.release(instance); // the client left; the instance did nothing wrong
          return;
        }
        const ejected = pool.fail(instance);
        observer.upstreamError(upstream, kind);
        request.log.warn(
          { upstream, instance: instance.url, kind, ejected, attempt: tried + 1, err: err.cause ?? err },
          'upstream attempt failed',
        );
        if ((kind === 'connect' || kind === 'reset') && tried < route.service.retries && retriable(request)) {
          const next = pool.pick(instance);
          if (next) return attempt(next, tried + 1);
        }
        annotate();
        rep.send(
          kind === 'timeout'
            ? gatewayErrors.GATEWAY_UPSTREAM_TIMEOUT({ upstream, timeoutMs: route.readTimeoutMs })
            : kind === 'connect' && !pool.pick()
              ? gatewayErrors.GATEWAY_UPSTREAM_UNAVAILABLE({ upstream })
              : gatewayErrors.GATEWAY_BAD_GATEWAY({ upstream }),
        );
      },
    });
  };

  attempt(first, 0);
  return reply;
}
