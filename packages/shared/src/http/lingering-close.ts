import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long a lingering connection waits for the client's next bytes before it is closed, and
 * how long it may linger at all (nginx's `lingering_timeout` and `lingering_time`, same
 * defaults). The wait is per read, not for the whole upload: a client on a loaded machine that
 * stalls for a few seconds mid-upload still reads its answer, and one that keeps sending is
 * let go after the total.
 */
export const LINGER_IDLE_MS = 5_000;
export const LINGER_MAX_MS = 30_000;

export interface LingerOptions {
  /** Close after this long without bytes from the client. */
  idleMs?: number;
  /** Close after this long in all. */
  maxMs?: number;
}

/**
 * The most body an early answer that keeps its connection still reads and drops: more than
 * this, or a chunked body of unknown length, and the answer closes its connection (lingering).
 */
export const DRAIN_BYTES = 16 * 1024 * 1024;

const LINGERING = Symbol('opsmesh.lingering');

type LingerSocket = Socket & { [LINGERING]?: true };

/** True once the socket's close has been made a lingering one. */
export function isLingering(socket: Socket): boolean {
  return (socket as LingerSocket)[LINGERING] === true;
}

/**
 * Makes the close that follows an early answer (a 413 sent while the client is still
 * uploading) a lingering close, as nginx's `lingering_close` does: the answer is sent, the
 * write side is shut (FIN), and whatever the client still sends is read and dropped until it
 * stops (`idleMs` without bytes), finishes, or `maxMs` pass; only then is the socket destroyed.
 * Nothing dropped is kept: memory stays bounded by one read.
 *
 * Node's server destroys such a socket as soon as the answer is written. Closing a socket
 * whose receive buffer still holds unread bytes makes the kernel send a reset instead of a
 * FIN, and so does any byte the client sends after the close; a reset that reaches the client
 * before it has read the answer discards it: the client sees EPIPE or ECONNRESET instead of
 * the 413, and a proxy in front counts a broken instance.
 *
 * Call it before the answer is sent, for a request whose body was not read to its end; the
 * answer must carry `connection: close`.
 *
 * @example
 * if (!request.raw.complete) lingerOnClose(request.raw.socket);
 */
export function lingerOnClose(socket: Socket, options: LingerOptions = {}): void {
  const s = socket as LingerSocket;
  if (s[LINGERING] || s.destroyed) return;
  s[LINGERING] = true;
  // Node's server calls destroySoon once the answer is written; this one keeps reading instead.
  s.destroySoon = function lingeringDestroySoon(this: Socket) {
    linger(this, options);
  };
}

/**
 * Closes `socket` now with a lingering close: for an answer already written outside an HTTP
 * response (the parser's own 400/431). Whatever else reads the socket (Node's HTTP parser)
 * stops reading it.
 */
export function closeLingering(socket: Socket, options: LingerOptions = {}): void {
  const s = socket as LingerSocket;
  if (s.destroyed) return;
  s[LINGERING] = true;
  socket.removeAllListeners('data');
  linger(socket, options);
}

function linger(socket: Socket, { idleMs = LINGER_IDLE_MS, maxMs = LINGER_MAX_MS }: LingerOptions): void {
  if (socket.writable) socket.end();
  const close = () => socket.destroy();
  const idle = setTimeout(close, idleMs);
  const max = setTimeout(close, maxMs);
  idle.unref();
  max.unref();
  socket.once('close', () => {
    clearTimeout(idle);
    clearTimeout(max);
  });
  // The request's parser may have stopped pulling: the rest of the body is read and dropped.
  socket.on('data', () => idle.refresh());
  socket.on('error', drop);
  socket.resume();
}

function drop(): void {}

/**
 * Settles the unread rest of a request's body when its answer goes out before the body was
 * read to its end (a 401/403 from a guard, a 415, a 413, a parser or multipart error). Whatever
 * was reading it lets go and the rest is dropped as it arrives, never kept. An answer that
 * closes its connection (`closing`) closes it lingering; so does one whose rest is unbounded
 * (chunked) or past DRAIN_BYTES. Otherwise the connection stays open and is read to the end of
 * the body, so the client reads its answer and may send its next request. Returns whether the
 * answer must carry `connection: close`.
 *
 * @example
 * if (!request.raw.complete && settleUnreadBody(request.raw, closing)) reply.header('connection', 'close');
 */
export function settleUnreadBody(req: IncomingMessage, closing: boolean): boolean {
  const length = Number(req.headers['content-length']);
  if (length === 0 || (req.headers['content-length'] === undefined && !req.headers['transfer-encoding']))
    return closing;
  const close = closing || !(Number.isFinite(length) && length <= DRAIN_BYTES);
  if (close) lingerOnClose(req.socket);
  req.unpipe();
  req.resume();
  return close;
}
