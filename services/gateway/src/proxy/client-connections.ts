import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { plainAddress } from '@opsmesh/shared';

/** How long a refused connection may take to send its first bytes before it is closed without a word. */
export const REFUSED_WAIT_MS = 2_000;

interface Client {
  open: number;
  /** Whether a refusal of this address has been reported since it last held no connection. */
  reported: boolean;
}

export interface ConnectionCapOptions {
  /** Concurrent connections one client address may hold; 0 turns the cap off. */
  max: number;
  /** Peers that are never counted (trusted proxies: every client behind them shares their address). */
  exempt(address: string): boolean;
  /**
   * Called for a connection past the cap, once its client has sent its first bytes (`head`, one
   * read, so the answer goes to a request the client is waiting on); it must answer and close.
   * Node's HTTP server never sees the socket.
   */
  onRefused(socket: Socket, head: Buffer): void;
  /** Called once for the first refusal of an address since it last held no connection (to log it once). */
  onFirstRefusal?(address: string): void;
}

export interface ConnectionCap {
  /** Open connections of one address (its IPv4-mapped IPv6 form counts as the IPv4 address). */
  open(address: string): number;
  /** Addresses with at least one counted connection. */
  readonly clients: number;
}

/**
 * Caps the connections one client address holds open at once, as nginx's `limit_conn` keyed by
 * `$binary_remote_addr` does, but when the connection is accepted rather than per request: a
 * connection past the cap never reaches Node's HTTP parser, so it costs one read and a short
 * answer. Counts are taken in front of Node's own `connection` listener and given back when the
 * socket closes, however it closes (end, error, reset, timeout); an address leaves the table
 * with its last connection, so the table holds only addresses with connections open.
 *
 * @example
 * capConnectionsPerClient(app.server, { max: 256, exempt: (a) => proxies.trusts(a), onRefused });
 */
export function capConnectionsPerClient(server: Server, options: ConnectionCapOptions): ConnectionCap {
  const clients = new Map<string, Client>();
  const cap: ConnectionCap = {
    open: (address) => clients.get(plainAddress(address))?.open ?? 0,
    get clients() {
      return clients.size;
    },
  };
  if (options.max <= 0) return cap;
  const accept = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (admit(socket)) for (const listener of accept) listener.call(server, socket);
  });

  const admit = (socket: Socket): boolean => {
    const raw = socket.remoteAddress;
    // A socket reset before it was handed over has no address: Node's server disposes of it.
    if (raw === undefined) return true;
    const address = plainAddress(raw);
    if (options.exempt(address)) return true;
    let client = clients.get(address);
    if (client && client.open >= options.max) {
      if (!client.reported) {
        client.reported = true;
        options.onFirstRefusal?.(address);
      }
      refuse(socket, options.onRefused);
      return false;
    }
    if (!client) {
      client = { open: 0, reported: false };
      clients.set(address, client);
    }
    client.open++;
    const counted = client;
    socket.once('close', () => {
      if (--counted.open === 0) clients.delete(address);
    });
    return true;
  };
  return cap;
}

/** Waits for the refused client's first bytes (its request) to answer them; closes it if none come. */
function refuse(socket: Socket, onRefused: ConnectionCapOptions['onRefused']): void {
  socket.on('error', () => {});
  const wait = setTimeout(() => socket.destroy(), REFUSED_WAIT_MS);
  wait.unref();
  socket.once('close', () => clearTimeout(wait));
  socket.once('data', (head: Buffer) => {
    clearTimeout(wait);
    socket.pause();
    onRefused(socket, head);
  });
}
