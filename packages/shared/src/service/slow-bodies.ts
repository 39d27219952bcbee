import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { commonErrors } from '../errors/define-errors.js';
import { guardSlowBodies, type SlowBodyGuard } from '../http/slow-body-guard.js';
import { answerOnSocket } from './error-handler.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

declare module 'fastify' {
  interface FastifyInstance {
    /** Cuts request bodies that trickle in (see guardSlowBodies); a listener placed in front of Fastify's calls `watch` too. */
    slowBodies: SlowBodyGuard;
  }
}

/**
 * Puts the slow-body guard in front of Fastify's request listener (staying its one listener, so
 * the gateway can still take its place) and answers a body that trickles in, or that is not whole
 * after `timeoutMs` (0 = no limit), with a 408 problem naming the rate or the time, then closes
 * the connection, as Node's own request timeout does.
 *
 * @example
 * installSlowBodyGuard(app, 240, 900_000);
 */
export function installSlowBodyGuard(app: FastifyInstance, minBytesPerSecond: number, timeoutMs = 0): void {
  const guard = guardSlowBodies({
    minBytesPerSecond,
    maxMs: timeoutMs,
    onSlow: (req, socket, reason) => {
      app.log.info(
        { url: req.url?.split('?')[0], ...(reason === 'rate' ? { minBytesPerSecond } : { timeoutMs }) },
        'request body too slow; connection closed',
      );
      const problem =
        reason === 'rate'
          ? commonErrors.REQUEST_BODY_TOO_SLOW({ minBytesPerSecond })
          : commonErrors.REQUEST_BODY_TIMEOUT({ timeoutSeconds: timeoutMs / 1000 });
      // A client this slow is not kept to read the answer for long: 2 s, not a lingering close's 30.
      answerOnSocket(socket, problem, req.url ?? '/', { idleMs: 2_000, maxMs: 2_000 });
    },
  });
  app.decorate('slowBodies', guard);
  const server = app.server;
  const listeners = server.listeners('request') as RequestListener[];
  if (listeners.length === 1) {
    const fastify = listeners[0]!;
    server.removeListener('request', fastify);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      guard.watch(req);
      fastify(req, res);
    });
  }
  app.addHook('onClose', async () => guard.close());
}
