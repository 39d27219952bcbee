import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from '@opsmesh/shared';
import { transformHeaders } from '../transform/field-ops.js';
import type { CompiledTransform } from '../transform/transformers.js';

const IDENTITY_PREFIX = 'x-opsmesh-';

/** Headers that belong to one connection only, in either direction. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

/**
 * Client headers that never reach an upstream as sent: hop-by-hop ones (undici refuses most
 * of them anyway), `expect` (the server already answered 100-continue), and the ones the
 * gateway sets itself.
 */
const NOT_FORWARDED = new Set([
  ...HOP_BY_HOP,
  'expect',
  'host',
  'x-request-id',
  'traceparent',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
  'x-forwarded-prefix',
]);

/** What the gateway learned about a request that upstreams are told. */
export interface ForwardFacts {
  route: string;
  /** The path prefix the route stripped ('' for none). */
  stripped: string;
  identity: Identity | null;
  /** The client as the gateway decided it (`forwardedClient`): never a hop it did not verify. */
  clientIp: string;
  protocol: string;
  /** The host the client asked for, when known. */
  host: string | undefined;
  requestId: string;
  /** The gateway's client span; absent when no tracing SDK runs. */
  traceparent: string | undefined;
}

/** Headers named in `Connection` are hop-by-hop too (RFC 9110, 7.6.1). */
function connectionListed(headers: IncomingHttpHeaders): string[] | undefined {
  const connection = headers.connection;
  if (!connection || connection === 'keep-alive' || connection === 'close') return undefined;
  return connection
    .toLowerCase()
    .split(',')
    .map((s) => s.trim());
}

/**
 * The headers sent upstream, as flat name/value pairs (what undici takes without copying):
 * the client's, minus hop-by-hop and every `x-opsmesh-*` a client sent (services trust
 * these only because the gateway is the one that sets them), plus the verified identity,
 * forwarding headers, request id and trace context. The original Authorization stays so
 * upstreams can verify it too. Slots 0 and 1 hold `host`, filled per attempt.
 */
export function upstreamHeaders(
  headers: IncomingHttpHeaders,
  facts: ForwardFacts,
  transform: CompiledTransform | undefined,
  sent = 0,
): string[] {
  // Sized once for the client's headers (`sent`, the raw name/value count) and the gateway's
  // own, then trimmed: grown by push from two slots to ~30, the array copied its store twice.
  const out = new Array<string>(sent + GATEWAY_SLOTS);
  out[0] = 'host';
  out[1] = '';
  let n = 2;
  const listed = connectionListed(headers);
  for (const name in headers) {
    if (NOT_FORWARDED.has(name)) continue;
    if (name.length > IDENTITY_PREFIX.length && name.startsWith(IDENTITY_PREFIX)) continue;
    if (listed?.includes(name)) continue;
    const value = headers[name];
    if (typeof value === 'string') {
      out[n++] = name;
      out[n++] = value;
    } else if (value) {
      for (const v of value) {
        out[n++] = name;
        out[n++] = v;
      }
    }
  }
  out[n++] = 'x-opsmesh-route';
  out[n++] = facts.route;
  const identity = facts.identity;
  if (identity) n = pushIdentity(out, n, identity);
  // The client's own forwarding headers are replaced, not extended: upstreams trust the
  // gateway's word only, and a hop the gateway did not verify would be read as the client by
  // a service that also trusts the address the real client came from (loopback, one machine).
  out[n++] = 'x-forwarded-for';
  out[n++] = facts.clientIp;
  out[n++] = 'x-forwarded-proto';
  out[n++] = facts.protocol;
  if (facts.host) {
    out[n++] = 'x-forwarded-host';
    out[n++] = facts.host;
  }
  out[n++] = 'forwarded';
  out[n++] = forwardedValue(facts);
  if (facts.stripped) {
    out[n++] = 'x-forwarded-prefix';
    out[n++] = facts.stripped;
  }
  out[n++] = 'x-request-id';
  out[n++] = facts.requestId;
  if (facts.traceparent) {
    out[n++] = 'traceparent';
    out[n++] = facts.traceparent;
  }
  out.length = n;
  return transform?.touchesHeaders ? applyHeaderOps(out, 2, transform) : out;
}

/** Slots the gateway may add to the client's headers: host, route, identity, forwarding, id, trace. */
const GATEWAY_SLOTS = 32;

/**
 * Each verified identity's headers as name/value pairs, built on its first request: a verified
 * token's identity is one object for as long as it is cached, so its later requests copy the
 * pairs instead of joining the roles and testing each optional field again. Weak: an identity
 * the verifier's cache drops takes its pairs with it.
 */
const identityPairs = new WeakMap<Identity, string[]>();

function pairsOf(identity: Identity): string[] {
  const pairs = ['x-opsmesh-subject', identity.subject, 'x-opsmesh-kind', identity.kind];
  if (identity.kind === 'user') pairs.push('x-opsmesh-user', identity.subject);
  pairs.push('x-opsmesh-roles', identity.roles.join(','));
  if (identity.sessionId) pairs.push('x-opsmesh-session', identity.sessionId);
  if (identity.actor) pairs.push('x-opsmesh-actor', identity.actor);
  if (identity.keyId) pairs.push('x-opsmesh-key-id', identity.keyId);
  return pairs;
}

/** The verified identity's headers, written into `out` from `n`; returns the next free slot. */
function pushIdentity(out: string[], n: number, identity: Identity): number {
  let pairs = identityPairs.get(identity);
  if (!pairs) {
    pairs = pairsOf(identity);
    identityPairs.set(identity, pairs);
  }
  for (let i = 0; i < pairs.length; i++) out[n++] = pairs[i]!;
  return n;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The RFC 7239 element for the client: `for=...;proto=...;host=...`, quoting what is not a token. */
function forwardedValue(facts: ForwardFacts): string {
  const ip = facts.clientIp;
  const forPart = ip.includes(':') ? `for="[${ip}]"` : `for=${ip}`;
  const host = facts.host ? `;host=${TOKEN.test(facts.host) ? facts.host : `"${facts.host}"`}` : '';
  return `${forPart};proto=${facts.protocol}${host}`;
}

/** Runs a transformer's header operations over flat pairs, keeping the first `keep` entries as they are. */
export function applyHeaderOps(pairs: string[], keep: number, transform: CompiledTransform): string[] {
  const record: Record<string, string | string[]> = {};
  for (let i = keep; i < pairs.length; i += 2) {
    const name = pairs[i]!;
    const prior = record[name];
    const value = pairs[i + 1]!;
    if (prior === undefined) record[name] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else record[name] = [prior, value];
  }
  transformHeaders(record, transform.headers);
  const out = pairs.slice(0, keep);
  for (const name in record) {
    const value = record[name];
    if (typeof value === 'string') out.push(name, value);
    else if (value) for (const v of value) out.push(name, String(v));
  }
  return out;
}

/** Names upstreams send on most answers, lower-case, by length. */
const KNOWN_NAMES: (readonly (readonly [Buffer, string])[])[] = [];
for (const name of [
  'content-type',
  'content-length',
  'content-encoding',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'cache-control',
  'etag',
  'last-modified',
  'vary',
  'location',
  'server',
  'set-cookie',
]) {
  const list: (readonly [Buffer, string])[] = [...(KNOWN_NAMES[name.length] ?? [])];
  list.push([Buffer.from(name, 'latin1'), name]);
  KNOWN_NAMES[name.length] = list;
}

/**
 * A raw header name from undici, lower-cased. The common names are matched byte by byte
 * (letters case-folded) and answered with one shared string: turning a Buffer into a string
 * is a call into C++ (~60 ns), and the five names of a typical answer cost ~420 ns that way
 * against ~120 ns here. Names reach this already checked as tokens by the HTTP parser, so
 * folding with 0x20 matches nothing but letters of either case.
 *
 * @example
 * headerName(Buffer.from('Content-Type')) // 'content-type'
 */
export function headerName(raw: Buffer): string {
  const list = KNOWN_NAMES[raw.length];
  if (list !== undefined) {
    next: for (let j = 0; j < list.length; j++) {
      const [bytes, name] = list[j]!;
      for (let i = 0; i < bytes.length; i++) if ((raw[i]! | 0x20) !== bytes[i]) continue next;
      return name;
    }
  }
  return raw.toString('latin1').toLowerCase();
}

/**
 * The answer's headers: the gateway's own (request id, trace, security, CORS, rate limit)
 * unless the upstream set the same name, then the upstream's minus hop-by-hop ones, with
 * the route's response-transformer applied.
 *
 * One array of the final size is filled in place: the gateway's pairs, then the upstream's
 * behind them; a gateway pair the upstream overrides (rare) is dropped by moving the rest
 * down. Building the upstream's pairs in a second array and copying both into a growing
 * third allocated ~0.8 KB per request on the jwt route (bench/gateway, BENCH_ONLY=alloc).
 */
export function answerHeaders(
  gateway: readonly string[],
  raw: readonly Buffer[],
  transform: CompiledTransform | undefined,
): string[] {
  const g = gateway.length;
  const out = new Array<string>(g + raw.length);
  let n = g;
  let overridden = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = headerName(raw[i]!);
    if (HOP_BY_HOP.has(name)) continue;
    if (!overridden) overridden = includesName(gateway, name);
    out[n++] = name;
    out[n++] = raw[i + 1]!.toString('latin1');
  }
  let keep = g;
  if (overridden) {
    keep = 0;
    for (let i = 0; i < g; i += 2) {
      const name = gateway[i]!;
      if (includesName(out, name, g, n)) continue;
      out[keep++] = name;
      out[keep++] = gateway[i + 1]!;
    }
    for (let j = g; j < n; j++) out[keep + j - g] = out[j]!;
    n = keep + n - g;
  } else {
    for (let i = 0; i < g; i++) out[i] = gateway[i]!;
  }
  out.length = n;
  return transform?.touchesHeaders ? applyHeaderOps(out, keep, transform) : out;
}

/** Whether flat pairs name `name`, looking at the pairs from `from` up to `to`. */
function includesName(pairs: readonly string[], name: string, from = 0, to = pairs.length): boolean {
  for (let i = from; i < to; i += 2) if (pairs[i] === name) return true;
  return false;
}

/** The value of a header in flat pairs (lower-case names), or undefined. */
export function headerValue(pairs: readonly string[], name: string): string | undefined {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name) return pairs[i + 1];
  return undefined;
}
