import { describe, expect, it } from 'vitest';
import { parseTrustedProxies, trustedProxiesProblem } from './trusted-proxies.js';

describe('parseTrustedProxies', () => {
  it('trusts no one when empty', () => {
    const none = parseTrustedProxies('');
    expect(none.none).toBe(true);
    expect(none.trusts('127.0.0.1')).toBe(false);
    expect(parseTrustedProxies(undefined).trusts('::1')).toBe(false);
  });

  it('takes addresses, CIDRs and the loopback and private names, however the socket writes v4', () => {
    const p = parseTrustedProxies(' 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,loopback');
    expect(p.trusts('10.200.3.4')).toBe(true);
    expect(p.trusts('::ffff:10.1.1.1')).toBe(true);
    expect(p.trusts('192.0.2.7')).toBe(true);
    expect(p.trusts('192.0.2.8')).toBe(false);
    expect(p.trusts('2001:db8:1::5')).toBe(true);
    expect(p.trusts('2001:db9::5')).toBe(false);
    expect(p.trusts('127.0.0.1')).toBe(true);
    expect(p.trusts('::1')).toBe(true);
    expect(p.trusts('not-an-ip')).toBe(false);
    const priv = parseTrustedProxies('private');
    expect(['172.16.0.1', '192.168.1.1', 'fd00::1'].map((a) => priv.trusts(a))).toEqual([true, true, true]);
    expect(priv.trusts('172.32.0.1')).toBe(false);
  });

  it('names the first bad entry', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, 10.0.0.300')).toThrow(
      /TRUST_PROXY: "10.0.0.300" is not an IP/,
    );
    expect(trustedProxiesProblem('10.0.0.0/33')).toMatch(/prefix length outside 0-32/);
    expect(trustedProxiesProblem('::/129')).toMatch(/0-128/);
    expect(trustedProxiesProblem('true')).toMatch(/"true" is not/);
    expect(trustedProxiesProblem('loopback, 10.0.0.1')).toBeNull();
  });
});
