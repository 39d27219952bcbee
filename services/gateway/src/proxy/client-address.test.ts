import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientProtocol } from './client-address.js';

const request = (peer: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress: peer }, headers }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the peer unless the peer is a trusted (loopback) proxy', () => {
    expect(clientAddress(request('10.0.0.5'))).toBe('10.0.0.5');
    expect(clientAddress(request('10.0.0.5', { 'x-forwarded-for': '203.0.113.9' }))).toBe('10.0.0.5');
  });

  it('takes the nearest untrusted hop of X-Forwarded-For behind a trusted proxy', () => {
    const headers = { 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 127.0.0.1' };
    expect(clientAddress(request('127.0.0.1', headers))).toBe('203.0.113.9');
    expect(clientAddress(request('::1', { 'x-forwarded-for': '127.0.0.1' }))).toBe('127.0.0.1');
  });
});

describe('clientProtocol', () => {
  it('believes X-Forwarded-Proto from a trusted proxy only', () => {
    expect(clientProtocol(request('127.0.0.1', { 'x-forwarded-proto': 'https, http' }))).toBe('https');
    expect(clientProtocol(request('10.0.0.5', { 'x-forwarded-proto': 'https' }))).toBe('http');
  });
});
