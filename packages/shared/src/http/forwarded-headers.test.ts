import { describe, expect, it } from 'vitest';
import { forwardedClient, parseForwarded } from './forwarded-headers.js';
import { parseTrustedProxies } from './trusted-proxies.js';

const proxies = parseTrustedProxies('10.0.0.0/8, ::1');
const none = parseTrustedProxies('');

describe('forwardedClient', () => {
  it('believes no forwarding header from a peer that is not a trusted proxy', () => {
    const headers = {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      forwarded: 'for=1.2.3.4',
    };
    expect(forwardedClient('198.51.100.3', headers, proxies)).toEqual({
      ip: '198.51.100.3',
      proto: undefined,
      host: undefined,
    });
    expect(forwardedClient('127.0.0.1', headers, none).ip).toBe('127.0.0.1');
    expect(forwardedClient('::ffff:198.51.100.3', headers, proxies).ip).toBe('198.51.100.3');
  });

  it('takes the right-most hop that is not a trusted proxy, whatever the client prepended', () => {
    const headers = {
      'x-forwarded-for': '6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.5',
      'x-forwarded-proto': 'https',
    };
    expect(forwardedClient('10.0.0.2', headers, proxies)).toEqual({
      ip: '203.0.113.9',
      proto: 'https',
      host: undefined,
    });
    // Every hop trusted: the left-most is the client.
    expect(forwardedClient('10.0.0.2', { 'x-forwarded-for': '10.0.0.9, 10.0.0.5' }, proxies).ip).toBe(
      '10.0.0.9',
    );
    // Ports and brackets are not part of the address.
    expect(forwardedClient('::1', { 'x-forwarded-for': '203.0.113.9:5555' }, proxies).ip).toBe('203.0.113.9');
    expect(forwardedClient('::1', { 'x-forwarded-for': '[2001:db8::7]:443' }, proxies).ip).toBe(
      '2001:db8::7',
    );
  });

  it('stops at a hop that is not an address and believes only the proxy that wrote it', () => {
    expect(forwardedClient('10.0.0.2', { 'x-forwarded-for': '203.0.113.9, garbage' }, proxies).ip).toBe(
      '10.0.0.2',
    );
    expect(forwardedClient('10.0.0.2', { 'x-forwarded-for': 'garbage, 10.0.0.7' }, proxies).ip).toBe(
      '10.0.0.7',
    );
  });

  it('matches -Proto and -Host to their hop, and accepts only http/https and host names', () => {
    const headers = {
      'x-forwarded-for': '203.0.113.9, 10.0.0.5',
      'x-forwarded-proto': 'https, http',
      'x-forwarded-host': 'api.example.com, inner',
    };
    expect(forwardedClient('10.0.0.2', headers, proxies)).toEqual({
      ip: '203.0.113.9',
      proto: 'https',
      host: 'api.example.com',
    });
    const odd = {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'gopher',
      'x-forwarded-host': 'a b',
    };
    expect(forwardedClient('10.0.0.2', odd, proxies)).toEqual({
      ip: '203.0.113.9',
      proto: undefined,
      host: undefined,
    });
  });

  it('reads RFC 7239 Forwarded only when told the proxies write it, and then only it', () => {
    const headers = {
      forwarded:
        'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https;host="api.example.com:8443", for=10.0.0.5',
      'x-forwarded-for': '9.9.9.9',
    };
    expect(forwardedClient('10.0.0.2', headers, proxies, 'forwarded')).toEqual({
      ip: '2001:db8:cafe::17',
      proto: 'https',
      host: 'api.example.com:8443',
    });
    expect(forwardedClient('10.0.0.2', headers, proxies, 'x-forwarded').ip).toBe('9.9.9.9');
    expect(forwardedClient('10.0.0.2', { forwarded: 'for=unknown' }, proxies, 'forwarded').ip).toBe(
      '10.0.0.2',
    );
    expect(
      forwardedClient('10.0.0.2', { forwarded: 'for=_hidden, for=198.51.100.4' }, proxies, 'forwarded').ip,
    ).toBe('198.51.100.4');
  });
});

describe('parseForwarded', () => {
  it('keeps commas and semicolons inside quoted values', () => {
    expect(parseForwarded('for="192.0.2.43";host="a,b;c", for=198.51.100.17;proto=HTTP')).toEqual([
      { ip: '192.0.2.43', proto: undefined, host: undefined },
      { ip: '198.51.100.17', proto: 'http', host: undefined },
    ]);
  });
});
