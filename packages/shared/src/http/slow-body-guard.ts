import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { isLingering } from './lingering-close.js';

/**
 * The slowest a request body may arrive, in bytes per second, once its grace has passed:
 * Kestrel's `MinRequestBodyDataRate` (240 B/s after 5 s). A client sending a byte every few
 * seconds (slowloris) otherwise holds its socket for as long as it likes: Fastify turns off
 * Node's `requestTimeout`, and a total time would cut a large upload on a slow link, where a
 * rate scales with the size.
 */
export const BODY_MIN_BYTES_PER_SECOND = 240;
export const BODY_RATE_GRACE_MS = 5_000;
const CHECK_MS = 1_000;

const WATCHED = Symbol('opsmesh.bodyWatched');

interface Watched {
  req: IncomingMessage;
  socket: Socket;
  /** `socket.bytesRead` when the watch began (the request's head included). */
  bytes0: number;
  /** Time the server was ready for more of the body: while it holds back (the socket paused
   * because the reader is full), the client is not to blame. */
  activeMs: number;
  last: number;
}

export interface SlowBodyOptions {
  /** 0 for no minimum rate. */
  minBytesPerSecond: number;
  graceMs?: number;
  /** The longest a body may take to arrive, counted as the rate is; 0 or unset for no limit. */
  maxMs?: number;
  /**
   * Called once for a request whose body came too slowly (`rate`) or took longer than `maxMs`
   * (`deadline`); it must answer and close.
   */
  onSlow(req: IncomingMessage, socket: Socket, reason: 'rate' | 'deadline'): void;
}

export interface SlowBodyGuard {
  /** Watches a request's body until it is received whole; a request without a body is ignored. */
  watch(req: IncomingMessage): void;
  close(): void;
}

/** Whether the head declares a body (a length above 0, or chunks). */
function declaresBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Cuts requests whose body arrives slower than `minBytesPerSecond` once `graceMs` of waiting for
 * it have passed, as Kestrel's minimum request body data rate does, and, with `maxMs`, those whose
 * body is not whole after that long: a body kept just above the rate holds its socket for as long
 * as it lasts otherwise. Time the server itself holds
 * the body back (its reader full, the socket paused: an upstream slow to take it, a handler not
 * reading yet) is not counted. One timer checks every watched request each second; a request
 * leaves the set when its body is complete or its socket is gone.
 *
 * @example
 * const guard = guardSlowBodies({ minBytesPerSecond: 240, onSlow: (req, socket) => socket.destroy() });
 * server.on('request', (req) => guard.watch(req));
 */
export function guardSlowBodies(options: SlowBodyOptions): SlowBodyGuard {
  const graceMs = options.graceMs ?? BODY_RATE_GRACE_MS;
  const maxMs = options.maxMs ?? 0;
  const watched = new Set<Watched>();
  let timer: NodeJS.Timeout | null = null;

  const check = () => {
    const now = performance.now();
    for (const w of watched) {
      const { req, socket } = w;
      if (req.complete || socket.destroyed || isLingering(socket)) {
        watched.delete(w);
        continue;
      }
      if (!socket.isPaused()) w.activeMs += now - w.last;
      w.last = now;
      const late = maxMs > 0 && w.activeMs >= maxMs;
      if (!late && (options.minBytesPerSecond <= 0 || w.activeMs < graceMs)) continue;
      if (!late && socket.bytesRead - w.bytes0 >= (options.minBytesPerSecond * w.activeMs) / 1000) continue;
      watched.delete(w);
      options.onSlow(req, socket, late ? 'deadline' : 'rate');
    }
    if (watched.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };

  return {
    watch(req) {
      if ((options.minBytesPerSecond <= 0 && maxMs <= 0) || !declaresBody(req)) return;
      const r = req as IncomingMessage & { [WATCHED]?: true };
      if (r[WATCHED] || req.complete) return;
      r[WATCHED] = true;
      const socket = req.socket;
      // A request made in process (Fastify's inject) has a stand-in socket with no flow control
      // and no byte count, and no client that could trickle: there is nothing to watch.
      if (typeof socket?.isPaused !== 'function' || typeof socket.bytesRead !== 'number') return;
      watched.add({ req, socket, bytes0: socket.bytesRead, activeMs: 0, last: performance.now() });
      if (!timer) {
        timer = setInterval(check, CHECK_MS);
        timer.unref();
      }
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      watched.clear();
    },
  };
}
