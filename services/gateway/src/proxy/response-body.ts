import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { transformJsonBody } from '../transform/field-ops.js';
import type { CompiledTransform } from '../transform/transformers.js';

/** Responses bigger than this are streamed unchanged rather than held in memory to rewrite. */
const MAX_TRANSFORMED_BYTES = 8 * 1024 * 1024;

const isJson = (type: unknown) => typeof type === 'string' && /^application\/([\w.+-]*\+)?json\b/i.test(type);

/** Whether this answer's body must be buffered for the response-transformer. */
export function needsBodyTransform(
  transform: CompiledTransform | undefined,
  headers: Record<string, unknown>,
): boolean {
  if (!transform?.touchesBody || !isJson(headers['content-type'])) return false;
  const length = Number(headers['content-length'] ?? 0);
  return length <= MAX_TRANSFORMED_BYTES;
}

/** Reads the upstream JSON answer, rewrites its fields and sends it with its new length. */
export async function sendTransformedJson(
  reply: FastifyReply,
  stream: Readable,
  transform: CompiledTransform,
): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks, size);
  reply.removeHeader('content-length');
  reply.removeHeader('transfer-encoding');
  let out: Buffer | string = raw;
  try {
    out = JSON.stringify(transformJsonBody(JSON.parse(raw.toString('utf8')), transform.body));
  } catch {
    // Not the JSON it claimed to be: pass it on as it came rather than fail the request.
  }
  reply.send(out);
}
