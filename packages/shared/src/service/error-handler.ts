import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors/app-error.js';
import { commonErrors } from '../errors/define-errors.js';
import { closeLingering, isLingering, type LingerOptions, lingerOnClose } from '../http/lingering-close.js';
import { UpstreamError } from '../http/upstream-error.js';
import { installContentTypeCheck, unsupportedMediaType } from './content-type-check.js';
import { PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from './problem.js';
import { newRequestId, requestIdFrom } from './request-id.js';
import { type AjvLikeError, validationProblem } from './validation-problem.js';

/** What the translator may read of the request: its route's schema and limits. */
type RequestContext = Pick<FastifyRequest, 'routeOptions' | 'headers'>;

/** Fastify's own client errors, each with a detail that says what to fix and repeats nothing sent. */
const FASTIFY_CLIENT_ERRORS: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY:
    'The body is empty but content-type is application/json; send a JSON document.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON; check its syntax (quotes, commas, brackets).',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The body is not as long as its content-length header says; resend it.',
  FST_ERR_BAD_URL: 'The URL has a malformed percent-escape; encode each reserved character as %XX.',
  FST_ERR_INVALID_URL: 'The URL is not valid; send an absolute path.',
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: 'This request needs a content-type header describing its body.',
  FST_ERR_ROUTE_MISSING_CONTENT: 'This request needs a body.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long; shorten it.',
};

/**
 * Maps anything thrown in a request to the problem it answers with. Client errors name what to fix
 * and never repeat the body, a header value or a parser's message (which may quote either);
 * anything unrecognised is a 500 whose cause is logged, not shown.
 */
export function translateError(err: unknown, request?: RequestContext): AppError {
  if (isAppError(err)) return err;
  // A dependency that failed and was not handled by the route: 503 naming it, never a 500.
  if (err instanceof UpstreamError && err.kind !== 'problem') {
    return err.kind === 'circuit_open'
      ? commonErrors.UPSTREAM_CIRCUIT_OPEN({ dependency: err.service })
      : commonErrors.UNAVAILABLE({ dependency: err.service });
  }
  const fe = err as FastifyError & { validationContext?: string };
  if (fe && Array.isArray(fe.validation)) {
    const context = fe.validationContext;
    const schema = (request?.routeOptions.schema as Record<string, unknown> | undefined)?.[
      context === 'querystring' ? 'querystring' : (context ?? '')
    ];
    return validationProblem(context, fe.validation as AjvLikeError[], schema);
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request?.routeOptions.bodyLimit ?? (fe as { limit?: number }).limit;
      return commonErrors.PAYLOAD_TOO_LARGE({ limit: typeof limit === 'number' ? limit : undefined });
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return request
        ? unsupportedMediaType(request)
        : commonErrors.UNSUPPORTED_MEDIA_TYPE({
            contentType: 'unrecognised',
            accepted: ['application/json'],
          });
  }
  const known = fe?.code ? FASTIFY_CLIENT_ERRORS[fe.code] : undefined;
  if (known) return commonErrors.BAD_REQUEST({ message: known });
  // JSON.parse and decodeURIComponent on caller text; their messages quote the text, so not shown.
  if (err instanceof SyntaxError) {
    return commonErrors.BAD_REQUEST({
      message: 'The request could not be parsed; check the syntax of what was sent.',
    });
  }
  if (err instanceof URIError) {
    return commonErrors.BAD_REQUEST({
      message: 'A value has a malformed percent-escape; encode it as UTF-8 %XX.',
    });
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError({
      code: fe.statusCode === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
      status: fe.statusCode,
      title: 'Bad request',
      detail: 'The request was refused as malformed; check it against the API document at /docs/json.',
      cause: err,
    });
  }
  return commonErrors.INTERNAL({}, { cause: err });
}

export function installErrorHandling(app: FastifyInstance): void {
  installContentTypeCheck(app);
  app.setErrorHandler((err, request, reply) => {
    const problem = translateError(err, request);
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request rejected');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      commonErrors.NOT_FOUND({ method: request.method, url: request.url.split('?')[0] ?? '' }),
    ),
  );
}

/**
 * Fastify's framework errors (a malformed escape in the URL the router cannot decode) answer
 * problem+json like every other error, not Fastify's own `{ error, message }` body.
 */
export function frameworkErrorHandler(
  err: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendProblem(reply, translateError(err));
}

/**
 * What Node's HTTP parser refuses before there is a request (malformed HTTP, headers past its
 * limit, a request not received in time) answers problem+json too, then the connection closes.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // A lingering socket's parser may still trip on what the client sends after its answer.
  if (err.code === 'ECONNRESET' || socket.destroyed || isLingering(socket)) return;
  const problem =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? commonErrors.REQUEST_TIMEOUT({})
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? commonErrors.HEADERS_TOO_LARGE({})
        : commonErrors.BAD_REQUEST({
            message: 'The request is not valid HTTP/1.1; check its request line and headers.',
          });
  answerOnSocket(socket, problem, '/');
}

/**
 * Writes a problem straight on a socket Node's server took out of HTTP (a parser error, a
 * CONNECT), then closes lingering: the client may still be sending (a 431 for a request with a
 * large body), and a reset would discard the answer before the client reads it. `headers` are
 * added to the answer's head (e.g. `{ 'retry-after': '1' }`).
 */
export function answerOnSocket(
  socket: Socket,
  problem: AppError,
  url: string,
  linger: LingerOptions = {},
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(toProblem(problem, { id: newRequestId(), url }));
  // An answer already on its way (an early 401 while the body is drained) cannot be followed
  // by another on the same connection: the socket is only closed.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nConnection: close\r\n${extraHeaderLines(headers)}\r\n${body}`,
    );
  }
  closeLingering(socket, linger);
}

function extraHeaderLines(headers: Record<string, string>): string {
  let lines = '';
  for (const [name, value] of Object.entries(headers)) lines += `${name}: ${value}\r\n`;
  return lines;
}

/**
 * Node's server answers two requests on its own, outside any handler: an HTTP/1.1 request with
 * no Host header (a bare 400 with no body) and CONNECT (the socket is dropped without a word, as
 * no 'connect' listener exists). Both answer problem+json here: the Host check moves to a hook,
 * which also sees the gateway's proxied requests (its listener hands them to Fastify), and
 * CONNECT gets a 405, since no service is a forward proxy.
 */
export function installProtocolAnswers(app: FastifyInstance): void {
  (app.server as { requireHostHeader?: boolean }).requireHostHeader = false;
  app.addHook('onRequest', (request, _reply, done) => {
    if (lacksHost(request.raw)) {
      done(
        commonErrors.BAD_REQUEST({
          message: 'An HTTP/1.1 request needs a Host header (RFC 9112 §3.2); send one.',
        }),
      );
      return;
    }
    done();
  });
  // Node answers any other expectation with a bare 417 of its own; this one says what to change.
  app.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(
      toProblem(commonErrors.EXPECTATION_FAILED({}), {
        id: requestIdFrom(req.headers['x-request-id']),
        url: req.url ?? '/',
      }),
    );
    // The client was waiting for a go-ahead: what it sends anyway is read and dropped, then the connection closes.
    if (!req.complete) lingerOnClose(req.socket);
    res.writeHead(417, {
      'content-type': PROBLEM_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
  });
  app.server.on('connect', (req: IncomingMessage, socket: Socket) => {
    answerOnSocket(
      socket,
      commonErrors.METHOD_NOT_ALLOWED({ method: 'CONNECT', url: 'this server (it is not a forward proxy)' }),
      req.url ?? '/',
    );
  });
}

/** An HTTP/1.1 request without a Host header, which RFC 9112 makes a 400. */
export function lacksHost(req: IncomingMessage): boolean {
  return req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1;
}
