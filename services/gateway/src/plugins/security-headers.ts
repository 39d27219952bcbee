import type { FastifyReply } from 'fastify';

/**
 * Headers every answer carries, set before the upstream's are copied so a service can
 * still choose stricter values for its own responses.
 */
export function applySecurityHeaders(reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
}
