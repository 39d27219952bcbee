import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { plainAddress, type TrustedProxies } from './trusted-proxies.js';

/**
 * Which header family the trusted proxies write: `x-forwarded` (`X-Forwarded-For`, `-Proto`,
 * `-Host`, as nginx, HAProxy and most load balancers do) or `forwarded` (RFC 7239). Only that
 * one is read: a proxy passes the other through untouched, so it holds what the client wrote.
 */
export type ForwardedHeaderKind = 'x-forwarded' | 'forwarded';

/** What the request says about its client, once the forwarding headers have been weighed. */
export interface ForwardedClient {
  /** The right-most address not among the trusted proxies (the peer itself when it is not one). */
  ip: string;
  /** `http` or `https` as the client used it, when a trusted proxy said so. */
  proto: string | undefined;
  /** The host the client asked for, when a trusted proxy said so. */
  host: string | undefined;
}

interface Hop {
  ip: string | null;
  proto: string | undefined;
  host: string | undefined;
}

const HOST = /^[A-Za-z0-9.\-:[\]]{1,255}$/;

function proto(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'http' || v === 'https' ? v : undefined;
}

function host(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && HOST.test(v) ? v : undefined;
}

/** An address from a `for=` value or an X-Forwarded-For entry (`[v6]:port`, `v4:port`), or null. */
function addressOf(value: string): string | null {
  let v = value.trim();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    v = end > 0 ? v.slice(1, end) : '';
  } else if (isIP(v) === 0) {
    const colon = v.indexOf(':');
    if (colon > 0 && v.indexOf(':', colon + 1) < 0) v = v.slice(0, colon); // v4:port
  }
  return isIP(v) === 0 ? null : plainAddress(v);
}

/** Splits on `sep` outside double-quoted strings. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === sep && !quoted) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

/**
 * The hops of an RFC 7239 `Forwarded` header, client first: `for` (null when it is
 * `unknown`, obfuscated or not an address), `proto` and `host` of each element.
 *
 * @example
 * parseForwarded('for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"')
 * // [{ ip: '192.0.2.60', proto: 'https', host: undefined }, { ip: '2001:db8::17', ... }]
 */
export function parseForwarded(value: string | undefined): Hop[] {
  if (!value) return [];
  return splitOutsideQuotes(value, ',').map((element) => {
    const hop: Hop = { ip: null, proto: undefined, host: undefined };
    for (const pair of splitOutsideQuotes(element, ';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim().toLowerCase();
      const v = unquote(pair.slice(eq + 1));
      if (name === 'for') hop.ip = addressOf(v);
      else if (name === 'proto') hop.proto = proto(v);
      else if (name === 'host') hop.host = host(v);
    }
    return hop;
  });
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value).split(',').map((s) => s.trim());
}

/** X-Forwarded-For's hops, with -Proto and -Host matched by position when they list as many. */
function xForwardedHops(headers: IncomingHttpHeaders): Hop[] {
  const fors = list(headers['x-forwarded-for']).filter(Boolean);
  const protos = list(headers['x-forwarded-proto']);
  const hosts = list(headers['x-forwarded-host']);
  return fors.map((f, i) => ({
    ip: addressOf(f),
    // One value (set, not appended, by the edge proxy) stands for the client's request.
    proto: proto(protos.length === fors.length ? protos[i] : protos[protos.length - 1]),
    host: host(hosts.length === fors.length ? hosts[i] : hosts[hosts.length - 1]),
  }));
}

/**
 * The client of a request as the trusted proxies in front describe it. Forwarding headers
 * are read only when the peer is a trusted proxy; their hops are then walked from the right
 * (the nearest first) and the first address that is not a trusted proxy is the client. A hop
 * that is not an address (`unknown`, an obfuscated name, garbage) ends the walk at the last
 * trusted proxy: nothing it vouches for is believed.
 *
 * @example
 * const proxies = parseTrustedProxies('10.0.0.0/8');
 * forwardedClient('10.0.0.2', { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }, proxies, 'x-forwarded').ip
 * // '203.0.113.7' (6.6.6.6 was written by the client itself)
 */
export function forwardedClient(
  peer: string,
  headers: IncomingHttpHeaders,
  trusted: TrustedProxies,
  kind: ForwardedHeaderKind = 'x-forwarded',
): ForwardedClient {
  const client: ForwardedClient = { ip: plainAddress(peer), proto: undefined, host: undefined };
  if (trusted.none || !trusted.trusts(peer)) return client;
  const hops = kind === 'forwarded' ? parseForwarded(headers.forwarded) : xForwardedHops(headers);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (hop.ip === null) break;
    client.ip = hop.ip;
    client.proto = hop.proto;
    client.host = hop.host;
    if (!trusted.trusts(hop.ip)) break;
  }
  return client;
}
