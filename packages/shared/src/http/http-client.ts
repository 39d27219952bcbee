import type { ProblemBody } from '../service/problem.js';
import { childSpan, formatTraceparent, type TraceContext } from '../service/trace-context.js';
import { nowNs } from '../tracing/clock.js';
import { noopExporter, type SpanExporter } from '../tracing/span-exporter.js';
import { CircuitBreaker, type CircuitOptions } from './circuit-breaker.js';
import type { Discovery } from './discovery.js';

/** A failure the caller is expected to handle: typed, never a thrown string. */
export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    readonly kind: 'timeout' | 'unavailable' | 'problem',
    message: string,
    readonly status?: number,
    readonly problem?: ProblemBody,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

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
  requestId?: string;
  trace?: TraceContext;
  /** Ends the request early (the caller is shutting down); the result is a typed `unavailable`. */
  signal?: AbortSignal;
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
 * `x-request-id` and `traceparent` passed on, and problem+json answers turned into typed errors.
 *
 * @example
 * const ml = createHttpClient({ service: 'ml-service', discovery });
 * const res = await ml.request<ModelList>({ path: '/models', token: identity.token, requestId: req.id });
 * if (!res.ok) return reply.code(502).send(...res.error);
 */
export function createHttpClient(options: {
  service: string;
  discovery: Discovery;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  circuit?: CircuitOptions;
  spanExporter?: SpanExporter;
  fetch?: typeof fetch;
}): HttpClient {
  const exporter = options.spanExporter ?? noopExporter;
  const doFetch = options.fetch ?? fetch;
  const retries = options.retries ?? 2;
  const base = options.backoffMs ?? 50;
  let turn = 0;
  const breakers = new Map<string, CircuitBreaker>();
  const breakerFor = (instance: string) => {
    let b = breakers.get(instance);
    if (!b) {
      b = new CircuitBreaker(options.circuit);
      breakers.set(instance, b);
    }
    return b;
  };

  /** The next instance in turn whose circuit lets a call through, or null when all are open. */
  function pick(instances: string[]): string | null {
    for (let i = 0; i < instances.length; i++) {
      const candidate = instances[turn++ % instances.length]!;
      if (breakerFor(candidate).allow()) return candidate;
    }
    return null;
  }

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

  return {
    service: options.service,
    async request<T>(req: RequestOptions): Promise<HttpResult<T>> {
      const method = req.method ?? 'GET';
      const idempotent = req.idempotent ?? IDEMPOTENT.has(method);
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      if (req.token) headers['authorization'] = `Bearer ${req.token}`;
      if (req.requestId) headers['x-request-id'] = req.requestId;
      const span = req.trace ? childSpan(req.trace) : null;
      if (span) headers['traceparent'] = formatTraceparent(span);
      const startedNs = span && exporter !== noopExporter ? nowNs() : null;
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
        const instance = pick(instances);
        if (!instance) {
          return {
            ok: false,
            error: new UpstreamError(
              options.service,
              'unavailable',
              `${options.service} is failing; its circuit is open, retry shortly`,
            ),
          };
        }
        last = await once<T>(
          `${instance}${req.path}${qs}`,
          { method, headers, ...(body !== undefined ? { body } : {}) },
          req.timeoutMs ?? options.timeoutMs ?? 5000,
          req.signal,
        );
        if (req.signal?.aborted) return last;
        // Any answer, a 4xx problem included, means the instance works; timeouts, refusals and 5xx do not.
        const healthy = last.ok || last.error.kind === 'problem';
        if (span && startedNs !== null) {
          exporter.export({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId,
            name: `${method} ${options.service}`,
            kind: 3,
            startNs: startedNs,
            endNs: nowNs(),
            attributes: {
              'http.request.method': method,
              'server.address': instance,
              'url.path': req.path,
              'http.response.status_code': last.ok ? last.status : (last.error.status ?? 0),
            },
            error: !healthy,
          });
        }
        if (healthy) breakerFor(instance).success();
        else breakerFor(instance).failure();
        if (healthy) return last;
        if (attempt + 1 < attempts) {
          const delay = Math.random() * base * 2 ** attempt;
          await new Promise((r) => setTimeout(r, delay));
        }
      }
      return last!;
    },
  };
}
