import type { IncomingMessage } from 'node:http';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { charsetProblem, utf8Body } from '@opsmesh/shared';
import { gatewayErrors } from '../errors.js';
import { transformJsonBody } from '../transform/field-ops.js';
import type { CompiledTransform } from '../transform/transformers.js';

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

/** Reads a whole request body, refusing it once it passes `limit`. */
async function readAll(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw gatewayErrors.GATEWAY_PAYLOAD_TOO_LARGE({ limit });
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** `application/json` and `application/<anything>+json`, without a regular expression. */
export function isJsonType(type: unknown): boolean {
  if (typeof type !== 'string') return false;
  const semi = type.indexOf(';');
  const mime = (semi >= 0 ? type.slice(0, semi) : type).trim().toLowerCase();
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/** Whether the request carries a body at all. */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return length === undefined ? req.headers['transfer-encoding'] !== undefined : length !== '0';
}

/**
 * What to send upstream as the body. Bodies stream untouched (uploads of any size, never
 * buffered), counted as they stream and cut at the limit, except on a route whose
 * request-transformer changes JSON fields: that body alone is read, rewritten and sent with
 * its new length. The upstream gets a stream of its own rather than the request itself: when
 * the upstream answers before reading the whole body (a 413), undici destroys the stream it
 * was given, and the client's request must stay open to receive that answer.
 */
export function requestBody(
  req: IncomingMessage,
  limit: number,
  transform: CompiledTransform | undefined,
): Readable | Promise<Buffer | null> | null {
  if (!hasBody(req)) return null;
  if (transform?.touchesBody && isJsonType(req.headers['content-type'])) {
    // Rewritten bodies are read as UTF-8 text: another charset, or bytes that are not UTF-8,
    // would reach the upstream changed (each bad byte re-encoded as U+FFFD), so both are refused.
    const charset = charsetProblem(req.headers['content-type']);
    if (charset) return Promise.reject(charset);
    return readAll(req, limit).then((buf) => {
      const text = utf8Body(buf);
      if (text.length === 0) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw gatewayErrors.GATEWAY_BAD_JSON_BODY({ reason: (err as Error).message });
      }
      return Buffer.from(JSON.stringify(transformJsonBody(parsed, transform.body)));
    });
  }
  return req.pipe(new BodyLimitStream(limit));
}
