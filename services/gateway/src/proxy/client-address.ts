import type { IncomingMessage } from 'node:http';

/**
 * Proxies whose forwarding headers are believed: loopback, as the kit's Fastify services
 * trust by default (`trustProxy: ['127.0.0.1', '::1']`).
 */
function trusted(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * The client's address as Fastify computes `request.ip`: the socket's peer, or, when that is
 * a trusted proxy, the nearest untrusted address of `X-Forwarded-For` read from the right.
 */
export function clientAddress(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded !== 'string' || !trusted(peer)) return peer;
  const hops = forwarded.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.trim();
    if (!trusted(hop) || i === 0) return hop;
  }
  return peer;
}

/** `http`, or what a trusted proxy in front says the client used. */
export function clientProtocol(req: IncomingMessage): string {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = req.headers['x-forwarded-proto'];
  if (typeof proto === 'string' && trusted(req.socket.remoteAddress)) {
    const comma = proto.indexOf(',');
    return (comma >= 0 ? proto.slice(0, comma) : proto).trim();
  }
  return encrypted ? 'https' : 'http';
}
