// Forwarding headers are believed only from TRUST_PROXY: a client cannot rotate forged
// X-Forwarded-For values past a per-address limit, and upstreams only ever see the gateway's
// own verdict about the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoSetup, echoSetup, type TestGateway } from './helpers.js';

let setup: EchoSetup;

beforeAll(async () => {
  setup = await echoSetup();
});

afterAll(async () => {
  await setup?.close();
});

const gateway = (env: Record<string, string> = {}) => setup.gateway({ env });

const login = (gw: TestGateway, headers: Record<string, string>) =>
  fetch(`${gw.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{}',
  });

interface Echo {
  headers: Record<string, string>;
}

describe('forwarding headers', () => {
  it('are believed from no one by default: forged addresses share the peer limit', async () => {
    const gw = await gateway();
    const statuses: number[] = [];
    let seen: Echo | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await login(gw, {
        'x-forwarded-for': `203.0.113.${i}`,
        forwarded: `for=198.51.100.${i}`,
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'forged.example',
      });
      statuses.push(res.status);
      if (res.status === 200) seen = (await res.json()) as Echo;
      else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(seen!.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen!.headers['x-forwarded-proto']).toBe('http');
    expect(seen!.headers['x-forwarded-host']).toBe(new URL(gw.url).host);
    expect(seen!.headers.forwarded).toBe(`for=127.0.0.1;proto=http;host="${new URL(gw.url).host}"`);
  });

  it('from TRUST_PROXY give the right-most untrusted hop; what the client prepends changes nothing', async () => {
    const gw = await gateway({ TRUST_PROXY: 'loopback' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await login(gw, {
        'x-forwarded-for': `6.6.6.${i}, 203.0.113.50`,
        'x-forwarded-proto': 'https',
      });
      statuses.push(res.status);
      if (i === 0) {
        const echo = (await res.json()) as Echo;
        expect(echo.headers['x-forwarded-for']).toBe('203.0.113.50');
        expect(echo.headers['x-forwarded-proto']).toBe('https');
      } else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Another client behind the same proxy has its own count.
    expect((await login(gw, { 'x-forwarded-for': '203.0.113.51' })).status).toBe(200);
  });

  it('read RFC 7239 Forwarded instead when the proxies are said to write it', async () => {
    const gw = await gateway({ TRUST_PROXY: '127.0.0.1, ::1', FORWARDED_HEADERS: 'forwarded' });
    const res = await login(gw, {
      forwarded: 'for="[2001:db8::9]:4711";proto=https;host=api.example.com',
      'x-forwarded-for': '6.6.6.6',
    });
    const echo = (await res.json()) as Echo;
    expect(echo.headers['x-forwarded-for']).toBe('2001:db8::9');
    expect(echo.headers.forwarded).toBe('for="[2001:db8::9]";proto=https;host=api.example.com');
    expect(echo.headers['x-forwarded-host']).toBe('api.example.com');
  });
});
