import type { Socket } from 'node:net';

/** How long a connection keeps reading what the client still sends after its answer, at most. */
export const LINGER_MS = 2_000;

const LINGERING = Symbol('opsmesh.lingering');

type LingerSocket = Socket & { [LINGERING]?: true };

/**
 * Makes the close that follows an early answer (a 413 sent while the client is still
 * uploading) a lingering close, as nginx's `lingering_close` does: the answer is sent, the
 * write side is shut (FIN), and whatever the client still sends is read and dropped until it
 * stops or `ms` pass; only then is the socket destroyed.
 *
 * Node's server destroys such a socket as soon as the answer is written. Closing a socket
 * whose receive buffer still holds unread bytes makes the kernel send a reset instead of a
 * FIN, and a reset can reach the client before it has read the answer: it then sees EPIPE or
 * ECONNRESET instead of the 413, and a proxy in front counts a broken instance.
 *
 * Call it before the answer is sent, for a request whose body was not read to its end; the
 * answer must carry `connection: close`.
 *
 * @example
 * if (!request.raw.complete) lingerOnClose(request.raw.socket);
 */
export function lingerOnClose(socket: Socket, ms = LINGER_MS): void {
  const s = socket as LingerSocket;
  if (s[LINGERING] || s.destroyed) return;
  s[LINGERING] = true;
  // Node's server calls destroySoon once the answer is written; this one keeps reading instead.
  s.destroySoon = function lingeringDestroySoon(this: Socket) {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    // The request's parser may have stopped pulling: the rest of the body is read and dropped.
    this.on('data', drop);
    this.resume();
  };
}

function drop(): void {}
