import { BlockList, isIP } from 'node:net';

/** Ranges the shorthand names in a proxy list stand for. */
const NAMED: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  private: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

/** The proxies whose forwarding headers are believed. */
export interface TrustedProxies {
  /** True when the list is empty: no forwarding header is believed from anyone. */
  readonly none: boolean;
  /** Whether a peer (or a hop named in a forwarding header) is one of them. */
  trusts(address: string): boolean;
}

/** `::ffff:10.0.0.1` as `10.0.0.1`, so an IPv4 proxy matches however the socket reports it. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Why one entry of a proxy list is not an address, a CIDR or a known name; null when it is. */
function entryProblem(entry: string): string | null {
  if (NAMED[entry]) return null;
  const slash = entry.indexOf('/');
  const address = slash >= 0 ? entry.slice(0, slash) : entry;
  const family = isIP(address);
  if (family === 0)
    return `"${entry}" is not an IP address, a CIDR or one of ${Object.keys(NAMED).join(', ')}`;
  if (slash < 0) return null;
  const bits = entry.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${entry}" has a prefix length outside 0-${max}`;
  return null;
}

function entries(spec: string | undefined): string[] {
  return (spec ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** The first problem of a `TRUST_PROXY` value, or null when every entry is good (config validation). */
export function trustedProxiesProblem(spec: string): string | null {
  for (const entry of entries(spec)) {
    const problem = entryProblem(entry);
    if (problem) return problem;
  }
  return null;
}

/**
 * Parses a `TRUST_PROXY` value: addresses and CIDRs, IPv4 or IPv6, and the names `loopback`
 * and `private`, comma-separated. Empty trusts no one. Throws naming the first bad entry.
 *
 * @example
 * const proxies = parseTrustedProxies('10.0.0.0/8, ::1');
 * proxies.trusts('10.1.2.3') // true
 */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new BlockList();
  const parsed = entries(spec);
  for (const entry of parsed) {
    const problem = entryProblem(entry);
    if (problem) throw new Error(`TRUST_PROXY: ${problem}`);
    const named = NAMED[entry];
    if (named) {
      for (const [net, bits, type] of named) list.addSubnet(net, bits, type);
      continue;
    }
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  const none = parsed.length === 0;
  return {
    none,
    trusts(address) {
      if (none) return false;
      const plain = plainAddress(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
