// Attacks from outside on the HTTP layer, against the whole platform started as processes (as
// `npm start` runs it), through the gateway where that is how a client reaches a service, and
// at a service directly where a caller on the network could: request smuggling framings,
// pipelining, bodies that trickle in (slowloris), expectations, compressed bodies and a gzip bomb.
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { jsonCaller, type RunningSystem, SYSTEM_ADMIN, startSystem } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface RawAnswer {
  /** Everything the server wrote before it closed (or before the wait ended). */
  text: string;
  /** Milliseconds from the first byte sent to the first byte answered. */
  answeredMs: number | null;
  /** Milliseconds until the server closed, or null when it was still open at the end of the wait. */
  closedMs: number | null;
}

/**
 * Sends `head` on a fresh connection, then each of `trickle` after `intervalMs` (until the server
 * closes), and reads all the server writes for at most `waitMs`.
 */
function rawExchange(
  url: string,
  head: string | Buffer,
  options: { trickle?: string[]; intervalMs?: number; waitMs?: number } = {},
): Promise<RawAnswer> {
  const { port, hostname } = new URL(url);
  const waitMs = options.waitMs ?? 5_000;
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let answeredMs: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      const rest = [...(options.trickle ?? [])];
      timer = setInterval(() => {
        const next = rest.shift();
        if (next === undefined || socket.destroyed || !socket.writable) clearInterval(timer);
        else socket.write(next);
      }, options.intervalMs ?? 500);
    });
    const finish = (closedMs: number | null) => {
      clearInterval(timer);
      clearTimeout(deadline);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), answeredMs, closedMs });
    };
    const deadline = setTimeout(() => finish(null), waitMs);
    socket.on('data', (c: Buffer) => {
      answeredMs ??= performance.now() - started;
      chunks.push(c);
    });
    socket.on('end', () => finish(performance.now() - started));
    socket.on('close', () => finish(performance.now() - started));
    socket.on('error', () => finish(performance.now() - started));
  });
}

/** Every status line, also one that follows the previous answer's body on the same line. */
const statusLines = (text: string) => text.match(/HTTP\/1\.1 \d{3}(?= )/g) ?? [];
const problemOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

describe('attacks on the HTTP layer', () => {
  let system: RunningSystem;
  let token: string;
  let monitoring: string;
  let auth: string;

  beforeAll(async () => {
    system = await startSystem();
    monitoring = system.supervisor.url('monitoring-service');
    auth = system.supervisor.url('auth-service');
    const login = await jsonCaller(system.gateway)('POST', '/api/auth/login', undefined, SYSTEM_ADMIN);
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    token = login.body.access_token;
  }, 180_000);
  afterAll(() => system?.stop());

  // A request the front end and the back end would split differently: each must be refused whole,
  // and nothing after it answered as a request of its own.
  const smuggled = 'GET /api/auth/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n';
  const framings: Record<string, string> = {
    'Content-Length with Transfer-Encoding': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    'two different Content-Lengths': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 59\r\n\r\n`,
    'a Content-Length list': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 59\r\n\r\n`,
    'a signed Content-Length': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: +0\r\n\r\n`,
    'Transfer-Encoding not ending in chunked': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`,
    'an unknown Transfer-Encoding': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`,
    'a space before the colon': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n`,
    'an obs-fold continuation line': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n`,
    'bare LF line ends': `GET /api/auth/.well-known/jwks.json HTTP/1.1\nHost: x\n\n`,
    'a chunk size that is not hex': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    'a chunk size past 64 bits': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n{}\r\n0\r\n\r\n`,
    'a chunk ended by a bare LF': `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\n{}\n0\n\n`,
    'a NUL in a header value': `GET /api/auth/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`,
  };

  it('refuses every ambiguous framing with one 400 problem, and answers nothing smuggled behind it', async () => {
    for (const [base, name] of [
      [() => system.gateway, 'gateway'],
      [() => auth, 'auth-service'],
    ] as const) {
      for (const [what, head] of Object.entries(framings)) {
        const answer = await rawExchange(base(), head + smuggled);
        const context = `${name}, ${what}:\n${answer.text}`;
        expect(statusLines(answer.text), context).toEqual(['HTTP/1.1 400']);
        expect(answer.text, context).toMatch(/content-type: application\/problem\+json/i);
        expect(problemOf(answer.text), context).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
        expect(answer.closedMs, `${context}\nthe connection stays open`).not.toBeNull();
      }
    }
  });

  it('answers pipelined requests one each, in order, and a GET body is never read as a request', async () => {
    const jwks = 'GET /api/auth/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n';
    const answer = await rawExchange(
      system.gateway,
      `${jwks}GET /api/nowhere HTTP/1.1\r\nHost: x\r\n\r\n` +
        `GET /api/auth/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nContent-Length: ${jwks.length}\r\n\r\n${jwks}` +
        'GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      { waitMs: 10_000 },
    );
    expect(statusLines(answer.text), answer.text).toEqual([
      'HTTP/1.1 200',
      'HTTP/1.1 404',
      'HTTP/1.1 200',
      'HTTP/1.1 200',
    ]);
  });

  it('routes an absolute-form target by its path, whatever host it names (RFC 9112 §3.2.2)', async () => {
    const answer = await rawExchange(
      system.gateway,
      'GET http://169.254.169.254/api/auth/.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(statusLines(answer.text), answer.text).toEqual(['HTTP/1.1 200']);
    expect(problemOf(answer.text).keys).toHaveLength(1);
  });

  it('cuts a body that trickles in with a 408 problem and frees the socket, at the gateway and at a service', async () => {
    for (const [url, path, name] of [
      [system.gateway, '/api/chatops/messages', 'gateway'],
      [monitoring, '/silences', 'monitoring-service'],
    ] as const) {
      const started = performance.now();
      // One byte every half second: 2 B/s, far under the 240 B/s minimum, for up to a minute.
      const answer = await rawExchange(
        url,
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"text":"`,
        { trickle: Array.from({ length: 120 }, () => 'a'), intervalMs: 500, waitMs: 60_000 },
      );
      const context = `${name}:\n${answer.text}`;
      expect(statusLines(answer.text), context).toEqual(['HTTP/1.1 408']);
      expect(problemOf(answer.text), context).toMatchObject({
        status: 408,
        code: 'REQUEST_BODY_TOO_SLOW',
        detail: expect.stringMatching(/slower than 240 bytes per second/),
      });
      // The grace is 5 s, checked every second; a loaded machine may add a few more.
      expect(answer.closedMs, context).not.toBeNull();
      expect(performance.now() - started, context).toBeLessThan(30_000);
    }
  }, 90_000);

  it('takes an upload that is slow but steady above the minimum', async () => {
    // About 1,000 B/s for 7 s: past the grace, above the minimum; a wrong refresh token is a 401.
    const body = `{"refresh_token":"not-a-token"${' '.repeat(7_000)}}`;
    const pieces = body.match(/[\s\S]{1,250}/g) ?? [];
    const answer = await rawExchange(
      system.gateway,
      `POST /api/auth/refresh HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
      { trickle: pieces, intervalMs: 250, waitMs: 30_000 },
    );
    expect(statusLines(answer.text), answer.text).toEqual(['HTTP/1.1 401']);
  }, 40_000);

  it('answers an expectation other than 100-continue with a 417 problem, and 100-continue with a go-ahead', async () => {
    const refused = await rawExchange(
      system.gateway,
      `POST /api/chatops/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nExpect: 200-ok\r\nContent-Length: 15\r\n\r\n{"text":"help"}`,
    );
    expect(statusLines(refused.text), refused.text).toEqual(['HTTP/1.1 417']);
    expect(problemOf(refused.text)).toMatchObject({ status: 417, code: 'EXPECTATION_FAILED' });
    const go = await rawExchange(
      system.gateway,
      `POST /api/chatops/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 15\r\nConnection: close\r\n\r\n`,
      { trickle: ['{"text":"help"}'], intervalMs: 300, waitMs: 15_000 },
    );
    expect(statusLines(go.text), go.text).toEqual(['HTTP/1.1 100', 'HTTP/1.1 200']);
  });

  it('refuses a compressed body a route does not decode with a 415 problem, through the gateway', async () => {
    const res = await fetch(`${system.gateway}/api/monitoring/silences`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync(JSON.stringify({ matchers: [] })),
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      code: 'UNSUPPORTED_CONTENT_ENCODING',
      detail: expect.stringMatching(/send it uncompressed|drop the Content-Encoding header/),
    });
  });

  it('refuses a gzip bomb at the open OTLP receiver with a 413 naming the limit, and stays up; the gateway does not route it', async () => {
    // 32 KiB on the wire, 32 MiB inflated: twice the receiver's limit.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"resourceSpans":['), Buffer.alloc(32 << 20, 32)]), {
      level: 9,
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await fetch(`${monitoring}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      code: 'MONITORING_OTLP_TOO_LARGE',
      detail: expect.stringMatching(/16777216 bytes/),
    });
    // The receiver is not routed through the gateway at all: the bomb never reaches it there.
    const routed = await fetch(`${system.gateway}/api/monitoring/v1/traces`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: bomb,
    });
    expect(routed.status).toBe(404);
    expect(await routed.json()).toMatchObject({ code: 'GATEWAY_INTERNAL_PATH' });
    expect((await fetch(`${monitoring}/health/ready`)).status).toBe(200);
  });
});
