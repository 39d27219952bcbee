import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { type Context, context, type Span } from '@opentelemetry/api';
import { ModelRefSchema, V2InferRequestSchema } from '@opsmesh/contracts';
import {
  endServerSpan,
  failSpan,
  type Identity,
  invalidUtf8Offset,
  lacksHost,
  nulPath,
  repeatedSingleton,
  requestIdFrom,
  type ServiceApp,
  startServerSpan,
  traceparentOf,
} from '@opsmesh/shared';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { NOT_PARSED, NumberOutOfRangeError, parseInferJson } from '../../inference/infer-json.js';
import { type ModelRef, parseModelRef } from '../../services/model-ref.js';
import type { InferRequest, PredictionService } from '../../services/prediction-service.js';
import { logV2Error, type RequestLog, toV2Error } from './v2-error.js';

/**
 * The lean path of `POST /v2/models/{m}[/versions/{v}]/infer` with a plain JSON body: a
 * `request` listener in front of Fastify's that answers the common request on the raw request
 * and response. A single-row request costs the event loop about 0.1 ms, and a third of it went
 * to Fastify's per-request work (request and reply objects, a child logger, a dozen hooks, each
 * a promise, content-type dispatch, Ajv) around the service's own; the gateway's proxy listener
 * does the same for the same reason.
 *
 * It does what the route does, with the kit's pieces: request id, server span and trace
 * context, the cached-credential check and the permission, body limit, the same parser, a
 * stricter schema check and the NUL check, the access line, RED metrics, `connection: close`
 * once draining, and the route's V2 error answers for what goes wrong once a run started.
 * Everything else goes to Fastify, which answers it as it always did:
 * - before the body is read: another method, path form, content type or body framing (binary
 *   data, chunked, empty, too large, compressed), a query string, a credential not verified yet
 *   or lacking the permission, a repeated or missing header, and any request once draining;
 * - after it is read, before anything is run or counted: a body the fast parser or the strict
 *   check does not take, a NUL, an unknown model or invalid inputs, a cut-off upload. The body
 *   is handed on as it was received (`replayBody`), so Fastify's answer is the one it gives
 *   when it reads the socket itself, byte for byte.
 * `ML_LEAN_INFER=off` leaves every request to Fastify.
 */

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface LeanInferDeps {
  prediction: PredictionService;
  bodyLimit: number;
}

/** A body read here and handed to Fastify: what arrived, and how the upload ended if it failed. */
interface Received {
  chunks: Buffer[];
  error?: Error;
}

const RECEIVED = Symbol('opsmesh.ml.leanReceived');
type WithReceived = IncomingMessage & { [RECEIVED]?: Received };

const ROUTE = '/v2/models/:model/infer';
const VERSION_ROUTE = '/v2/models/:model/versions/:version/infer';
const PREFIX = '/v2/models/';
const MODEL_REF = new RegExp(ModelRefSchema.pattern!);
const VERSION = /^[1-9][0-9]{0,8}$/;
/**
 * Typebox's compiled check of the route's body schema, without coercion: a body it takes, Ajv
 * (with the route's coercion) takes unchanged; anything else goes to Fastify, whose Ajv
 * coerces or answers the 400 it always did.
 */
const strictBody = TypeCompiler.Compile(V2InferRequestSchema);

/** The route and path parameters of a lean infer path, or undefined for any other path. */
export function leanTarget(url: string): { route: string; model: string; version?: string } | undefined {
  if (!url.startsWith(PREFIX) || url.includes('?') || url.includes('%')) return undefined;
  const parts = url.slice(PREFIX.length).split('/');
  const model = parts[0]!;
  if (!MODEL_REF.test(model)) return undefined;
  if (parts.length === 2 && parts[1] === 'infer') return { route: ROUTE, model };
  if (parts.length === 4 && parts[1] === 'versions' && parts[3] === 'infer' && VERSION.test(parts[2]!))
    return { route: VERSION_ROUTE, model, version: parts[2]! };
  return undefined;
}

/**
 * The infer routes' `preParsing` hook: a request the lean path read and handed on is parsed
 * from what it received, exactly as it arrived.
 */
export function replayBody(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RequestPayload,
  done: (err: Error | null, stream?: RequestPayload) => void,
): void {
  const received = (request.raw as WithReceived)[RECEIVED];
  if (!received) {
    done(null, payload);
    return;
  }
  const replay = new Readable({ read() {} });
  for (const chunk of received.chunks) replay.push(chunk);
  if (received.error) {
    const error = received.error;
    process.nextTick(() => replay.destroy(error));
  } else replay.push(null);
  done(null, replay);
}

/** Whether a request can take the lean path, judged on its line and headers alone. */
function eligible(req: IncomingMessage, bodyLimit: number): boolean {
  const h = req.headers;
  if (req.method !== 'POST' || h['content-type'] !== 'application/json') return false;
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return false;
  if (h['inference-header-content-length'] !== undefined) return false;
  const length = h['content-length'];
  if (length === undefined || !/^[1-9][0-9]{0,9}$/.test(length) || Number(length) > bodyLimit) return false;
  return !lacksHost(req) && repeatedSingleton(req.rawHeaders) === null;
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Puts the lean path in front of Fastify's request listener. Call it once the routes are
 * registered; the server's only `request` listener must be Fastify's.
 */
export function installLeanInfer(app: ServiceApp, deps: LeanInferDeps): void {
  const server = app.server;
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length !== 1)
    throw new Error('the lean infer path expects Fastify to be the only request listener');
  const fastify = listeners[0]!;
  server.removeListener('request', fastify);
  const log = app.log;
  const { metrics, authenticator } = app;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const target = app.draining || !authenticator ? undefined : leanTarget(url);
    if (!target || !eligible(req, deps.bodyLimit)) return fastify(req, res);
    const identity = authenticator!.authenticateCached?.(req.headers);
    if (!identity?.permissions.has('models:read')) return fastify(req, res);
    const ref = parseModelRef(target.model, target.version);
    if (!ref) return fastify(req, res);
    new LeanInfer(
      req,
      res,
      { fastify, app, log, metrics, prediction: deps.prediction },
      target.route,
      ref,
      identity,
    );
  });
}

interface LeanContext {
  fastify: RequestListener;
  app: ServiceApp;
  log: ServiceApp['log'];
  metrics: ServiceApp['metrics'];
  prediction: PredictionService;
}

/** One request on the lean path, from its first byte to its access line. */
class LeanInfer implements RequestLog {
  readonly started = performance.now();
  readonly requestId: string;
  readonly span: Span;
  readonly ctx: Context;
  readonly chunks: Buffer[] = [];
  received = 0;
  /** Set once the body was read to its end: an error after that is not the upload's. */
  ended = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly lean: LeanContext,
    readonly route: string,
    readonly ref: ModelRef,
    readonly identity: Identity,
  ) {
    this.requestId = requestIdFrom(req.headers['x-request-id']);
    const started = startServerSpan(
      req.headers,
      'POST',
      { 'http.request.method': 'POST', 'url.path': req.url!, 'opsmesh.request_id': this.requestId },
      this.requestId,
    );
    this.span = started.span;
    this.ctx = started.ctx;
    req.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.received += chunk.length;
    });
    req.once('end', () => {
      this.ended = true;
      this.#read();
    });
    req.on('error', (error: Error) => {
      if (!this.ended) this.#handOn(error);
    });
  }

  /** Gives the request to Fastify with what was received of its body. */
  #handOn(error?: Error): void {
    const req = this.req as WithReceived;
    req.removeAllListeners('data');
    req[RECEIVED] = error ? { chunks: this.chunks, error } : { chunks: this.chunks };
    this.lean.fastify(req, this.res);
  }

  #read(): void {
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.received);
    // A body that is not UTF-8 is Fastify's to refuse, with the offset of the first bad byte.
    let parsed: unknown;
    try {
      parsed = invalidUtf8Offset(body) === null ? parseInferJson(body) : NOT_PARSED;
    } catch (err) {
      // A number past a double's range: Fastify's parser of the route refuses it, saying which.
      if (!(err instanceof NumberOutOfRangeError)) throw err;
      parsed = NOT_PARSED;
    }
    if (parsed === NOT_PARSED || !strictBody.Check(parsed) || nulPath(parsed, 'body') !== null) {
      this.#handOn();
      return;
    }
    context.with(this.ctx, () =>
      this.#infer(parsed as InferRequest).catch((err: unknown) => {
        // Only a fault of this file lands here: the answer could not be written.
        this.lean.log.error({ err, requestId: this.requestId }, 'request failed');
        this.res.destroy();
      }),
    );
  }

  async #infer(body: InferRequest): Promise<void> {
    const { prediction } = this.lean;
    let prepared: Awaited<ReturnType<PredictionService['prepareInfer']>>;
    try {
      prepared = await prediction.prepareInfer(this.ref, body);
    } catch {
      return this.#handOn();
    }
    try {
      const answer = await prediction.inferPrepared(prepared, body, {
        caller: this.identity.subject,
        requestId: this.requestId,
      });
      const headers = this.#headers();
      if (answer.headerLength !== undefined)
        headers.push(
          'inference-header-content-length',
          String(answer.headerLength),
          'content-type',
          'application/octet-stream',
        );
      else headers.push('content-type', 'application/json');
      this.#send(200, headers, answer.body);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** The headers every answer starts with, as the kit's onRequest hook sets them. */
  #headers(): string[] {
    const traceparent = traceparentOf(this.span);
    return traceparent
      ? ['x-request-id', this.requestId, 'traceparent', traceparent]
      : ['x-request-id', this.requestId];
  }

  /** The V2 route's error answer (v2-routes.ts), for an error met once the run started. */
  #fail(err: unknown): void {
    failSpan(this.span, err);
    const e = toV2Error(err, undefined, this.req.headers);
    logV2Error(this, err, e);
    const headers = this.#headers();
    for (const name in e.headers) headers.push(name, e.headers[name]!);
    headers.push('x-error-code', e.code, 'content-type', 'application/json; charset=utf-8');
    this.#send(e.status, headers, Buffer.from(JSON.stringify({ error: e.message })));
  }

  #send(status: number, headers: string[], body: Buffer): void {
    headers.push('content-length', String(body.length));
    // While draining, answers close their keep-alive connection so the server can finish closing.
    if (this.lean.app.draining) headers.push('connection', 'close');
    this.res.writeHead(status, headers);
    this.res.end(body);
    this.#record(status);
  }

  /** RED metrics, the server span's end and the access line, as the kit records a routed request. */
  #record(status: number): void {
    const { metrics } = this.lean;
    const seconds = (performance.now() - this.started) / 1000;
    metrics.requests.inc({ method: 'POST', route: this.route, status_code: String(status) });
    metrics.duration.observe({ method: 'POST', route: this.route }, seconds);
    endServerSpan(this.span, 'POST', this.route, status);
    this.info(
      {
        method: 'POST',
        url: this.req.url,
        route: this.route,
        statusCode: status,
        durationMs: Math.round(seconds * 100_000) / 100,
        subject: this.identity.subject,
      },
      'request completed',
    );
  }

  /** Lines bound to the request as the kit's request loggers are, without a child logger per request. */
  #line(level: 'info' | 'error', fields: object, message: string): void {
    const log = this.lean.log;
    if (LEVELS[level]! < (LEVELS[log.level] ?? Number.POSITIVE_INFINITY)) return;
    const sc = this.span.spanContext();
    log[level]({ requestId: this.requestId, trace_id: sc.traceId, span_id: sc.spanId, ...fields }, message);
  }

  info(fields: object, message: string): void {
    this.#line('info', fields, message);
  }

  error(fields: object, message: string): void {
    this.#line('error', fields, message);
  }
}
