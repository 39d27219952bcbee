import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gatewayErrors } from '../errors.js';
import { transformJsonBody } from '../transform/field-ops.js';
import type { ProxyState } from './proxy-state.js';

/** Fails the stream once more than `limit` bytes went through (bodies sent without a length). */
export class BodyLimitStream extends Transform {
  #seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) done(gatewayErrors.GATEWAY_PAYLOAD_TOO_LARGE({ limit: this.limit }));
    else done(null, chunk);
  }
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw gatewayErrors.GATEWAY_PAYLOAD_TOO_LARGE({ limit });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

const isJson = (type: string | undefined) => !!type && /^application\/([\w.+-]*\+)?json\b/i.test(type);

/**
 * Request bodies stream to the upstream untouched (uploads of any size, never buffered),
 * except on a route whose request-transformer changes JSON fields: that body alone is read,
 * rewritten and sent with its new length.
 */
export function installStreamingBodies(
  app: FastifyInstance,
  stateOf: (r: FastifyRequest) => ProxyState | undefined,
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    const state = stateOf(request);
    const limit = state?.bodyLimit ?? app.initialConfig.bodyLimit ?? 1_048_576;
    const transform = state?.route.requestTransform;
    if (transform?.touchesBody && isJson(request.headers['content-type'])) {
      readAll(payload, limit).then(
        (buf) => {
          try {
            const text = buf.toString('utf8');
            done(null, text.length === 0 ? undefined : transformJsonBody(JSON.parse(text), transform.body));
          } catch (err) {
            done(gatewayErrors.GATEWAY_BAD_JSON_BODY({ reason: (err as Error).message }), undefined);
          }
        },
        (err: Error) => done(err, undefined),
      );
      return;
    }
    const stream =
      request.headers['content-length'] === undefined ? payload.pipe(new BodyLimitStream(limit)) : payload;
    // The stream reaches the proxy through the request state, not as request.body: the kit's
    // preValidation hook walks request.body looking for NUL characters, and walking a socket's
    // object graph does not end. The handler attaches it again just before forwarding.
    if (state) state.bodyStream = stream;
    done(null, undefined);
  });
}
