import type { FastifyReply } from 'fastify';

/**
 * Headers every answer carries, as flat name/value pairs. They go out before the upstream's
 * are copied, so a service can still choose stricter values for its own responses.
 */
export const SECURITY_HEADERS: readonly string[] = [
  'x-content-type-options',
  'nosniff',
  'x-frame-options',
  'DENY',
  'referrer-policy',
  'no-referrer',
  'cross-origin-opener-policy',
  'same-origin',
];

/** The same headers on one of the gateway's own Fastify answers (the console). */
export function applySecurityHeaders(reply: FastifyReply): void {
  for (let i = 0; i < SECURITY_HEADERS.length; i += 2)
    reply.header(SECURITY_HEADERS[i]!, SECURITY_HEADERS[i + 1]!);
}
