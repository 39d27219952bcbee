import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { randomHex } from '../ids/random-pool.js';
import type { ProblemBody } from '../service/problem.js';
import { activeRequestId, kitTracer } from '../service/trace-context.js';
import { type CircuitListener, type CircuitOptions, InstanceCircuit, REFUSED } from './circuit-breaker.js';
import type { Discovery } from './discovery.js';
import { UpstreamError } from './upstream-error.js';

export { UpstreamError };

export type HttpResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; error: UpstreamError };

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`: the caller's identity. */
  token?: string;
  timeoutMs?: number;
  /** Defaults to true for GET, HEAD, PUT and DELETE. */
  idempotent?: boolean;
  /** Defaults to the request id of the active context (the incoming request's). */
  requestId?: string;
  /** Ends the request early (the caller is shutting down); the result is a typed `unavailable`. */
  signal?: AbortSignal;
  /**
   * The service's own upkeep (a long poll of a feed), traced by no one: no client span, and a
   * `traceparent` with the sampled flag off so the callee records none either. As probes and
   * scrapes, such calls would fill the trace store with traces nobody asked for.
   */
  untraced?: boolean;
}

export interface HttpClient {
  readonly service: string;
  request<T = unknown>(options: RequestOptions): Promise<HttpResult<T>>;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

function isProblem(value: unknown): value is ProblemBody {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/**
 * A client for one upstream service: address from discovery (round-robin over instances), a
 * circuit breaker per instance, a timeout per call, retries with exponential backoff and full jitter for idempotent requests only,
 * a client span per attempt whose context goes out (`traceparent`, `tracestate`, `baggage`) with
 * the active request's `x-request-id`, and problem+json answers turned into typed errors.
 *
 * @example
 * const ml = createHttpClient({ service: 'ml-service', discovery });
 * const res = await ml.request<ModelList>({ path: '/models', token: identity.token });
 * if (!res.ok) return reply.code(502).send(...res.error);
 */
export function createHttpClient(options: {
  service: string;
  discovery: Discovery;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  circuit?: CircuitOptions;
  /** Told of every circuit state change (`CircuitTelemetry.listener`: logs, metrics, API). */
  circuits?: CircuitListener;
  fetch?: typeof fetch;
}): HttpClient {
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 2;
  const base = options.backoffMs ?? 50;
  let turn = 0;
  const circuits = new Map<string, InstanceCircuit>();
  const circuitFor = (instance: string) => {
    let c = circuits.get(instance);
    if (!c) {
      c = new InstanceCircuit(options.service, instance, options.circuit, options.circuits);
      circuits.set(instance, c);
    }
    return c;
  };
  // Any answer, a 4xx problem included, means the instance works; timeouts, refusals and 5xx do not.
  const healthy = (r: HttpResult<unknown>) => r.ok || r.error.kind === 'problem';

  async function once<T>(
    url: string,
    init: RequestInit,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<HttpResult<T>> {
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      res = await doFetch(url, { ...init, signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
    } catch (err) {
      const timedOut =
        !signal?.aborted &&
        err instanceof Error &&
        (err.name === 'TimeoutError' || err.name === 'AbortError');
      return {
        ok: false,
        error: new UpstreamError(
          options.service,
          timedOut ? 'timeout' : 'unavailable',
          timedOut
            ? `${options.service} did not answer within ${timeoutMs} ms`
            : `${options.service} is unreachable`,
        ),
      };
    }
    const type = res.headers.get('content-type') ?? '';
    const text = await res.text();
    let data: unknown = text;
    if (type.includes('json') && text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (res.ok) return { ok: true, status: res.status, data: data as T, headers: res.headers };
    const problem = isProblem(data) ? data : undefined;
    const kind = res.status === 502 || res.status === 503 || res.status === 504 ? 'unavailable' : 'problem';
    return {
      ok: false,
      error: new UpstreamError(
        options.service,
        kind,
        problem?.detail ?? `${options.service} answered ${res.status}`,
        res.status,
        problem,
      ),
    };
  }

  /** One attempt on one instance, in its own client span whose context goes out with the call. */
  async function attemptOn<T>(
    instance: string,
    attempt: number,
    method: string,
    pathAndQuery: string,
    headers: Record<string, string>,
    body: string | undefined,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
    untraced: boolean | undefined,
  ): Promise<HttpResult<T>> {
    const parent = context.active();
    const path = pathAndQuery.split('?', 1)[0]!;
    const span = untraced
      ? undefined
      : kitTracer().startSpan(
          `${method} ${options.service}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'http.request.method': method,
              'url.full': `${instance}${path}`,
              'url.path': path,
              'peer.service': options.service,
              ...(attempt > 0 ? { 'http.request.resend_count': attempt } : {}),
            },
          },
          parent,
        );
    const sent = { ...headers };
    if (span) propagation.inject(trace.setSpan(parent, span), sent);
    else sent['traceparent'] = `00-${randomHex(16)}-${randomHex(8)}-00`;
    const res = await once<T>(
      `${instance}${pathAndQuery}`,
      { method, headers: sent, ...(body !== undefined ? { body } : {}) },
      timeoutMs ?? options.timeoutMs ?? 5000,
      signal,
    );
    if (!span) return res;
    const status = res.ok ? res.status : res.error.status;
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (!res.ok && (status === undefined || status >= 400)) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: res.error.message });
      if (status === undefined) span.setAttribute('error.type', res.error.kind);
    }
    span.end();
    return res;
  }

  return {
    service: options.service,
    async request<T>(req: RequestOptions): Promise<HttpResult<T>> {
      const method = req.method ?? 'GET';
      const idempotent = req.idempotent ?? IDEMPOTENT.has(method);
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      if (req.token) headers['authorization'] = `Bearer ${req.token}`;
      const requestId = req.requestId ?? activeRequestId();
      if (requestId) headers['x-request-id'] = requestId;
      let body: string | undefined;
      if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] = 'application/json';
      }
      const qs = req.query
        ? `?${new URLSearchParams(
            Object.entries(req.query)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]): [string, string] => [k, String(v)]),
          )}`
        : '';
      const attempts = idempotent ? retries + 1 : 1;
      let last: HttpResult<T> | undefined;
      for (let attempt = 0; attempt < attempts; attempt++) {
        const instances = await options.discovery.resolve(options.service);
        if (instances.length === 0) {
          return {
            ok: false,
            error: new UpstreamError(
              options.service,
              'unavailable',
              `no instance of ${options.service} is known`,
            ),
          };
        }
        // The next instance in turn whose circuit lets the call through; an open one refuses at once.
        let result: HttpResult<T> | undefined;
        for (let i = 0; i < instances.length && !result; i++) {
          const instance = instances[turn++ % instances.length]!;
          const out = await circuitFor(instance).run(
            () =>
              attemptOn<T>(
                instance,
                attempt,
                method,
                req.path + qs,
                headers,
                body,
                req.timeoutMs,
                req.signal,
                req.untraced,
              ),
            healthy,
          );
          if (out !== REFUSED) result = out;
        }
        if (!result) {
          trace.getActiveSpan()?.addEvent('opsmesh.circuit_open', { 'peer.service': options.service });
          return {
            ok: false,
            error: new UpstreamError(
              options.service,
              'circuit_open',
              `${options.service} is failing: its circuit is open after repeated failures, so calls fail fast; retry in a few seconds`,
            ),
          };
        }
        last = result;
        if (req.signal?.aborted) return last;
        if (healthy(last)) return last;
        if (attempt + 1 < attempts) {
          const delay = Math.random() * base * 2 ** attempt;
          await new Promise((r) => setTimeout(r, delay));
        }
      }
      return last!;
    },
  };
}
