// A client that stops reading a large answer: the gateway cuts it after SEND_TIMEOUT_MS rather
// than holding its socket and a connection of the upstream's pool for as long as it likes; a
// client that reads slowly but keeps reading gets its whole answer. A body sent steadily just
// above BODY_MIN_BYTES_PER_SECOND held its connection for as long as it lasted; BODY_TIMEOUT_MS
// bounds the whole of it.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoSetup, echoSetup, type TestGateway } from './helpers.js';

let setup: EchoSetup;
let gw: TestGateway;
let token: string;

beforeAll(async () => {
  setup = await echoSetup();
  gw = await setup.gateway({ env: { SEND_TIMEOUT_MS: '3000', BODY_TIMEOUT_MS: '2000' } });
  token = await setup.identity.token({ roles: ['viewer'], sub: 'usr_reader' });
});
afterAll(() => setup?.close());

/**
 * Asks for a `bytes`-byte answer, reads nothing for `stallMs` (a paused socket takes nothing from
 * the kernel, so the gateway's writes back up), then reads in bursts of `burstMs` every 200 ms.
 */
function fetchRaw(bytes: number, read: { stallMs: number; burstMs: number }) {
  const { port } = new URL(gw.url);
  return new Promise<{ received: number; complete: boolean }>((resolve) => {
    let received = 0;
    let tail = '';
    let timer: NodeJS.Timeout | undefined;
    const socket = connect({ port: Number(port), host: '127.0.0.1' }, () => {
      socket.write(
        `GET /api/auth/big-json?bytes=${bytes} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.on('data', (c: Buffer) => {
      received += c.length;
      tail = (tail + c.toString('latin1')).slice(-16);
    });
    socket.pause();
    setTimeout(() => {
      timer = setInterval(() => {
        socket.resume();
        setTimeout(() => socket.pause(), read.burstMs);
      }, 200);
    }, read.stallMs);
    const done = () => {
      clearInterval(timer);
      // The answer is chunked (the upstream sends no length): whole when its last chunk came.
      resolve({ received, complete: /"\}\r\n0\r\n\r\n$/.test(tail) });
    };
    socket.on('end', done);
    socket.on('error', done);
  });
}

describe('a client that reads slowly or not at all', () => {
  it('is cut once it has taken nothing for SEND_TIMEOUT_MS, and the upstream serves the next caller', async () => {
    // Nothing read for 10 s (three times the timeout), then all of it as fast as it comes.
    const stalled = await fetchRaw(64 * 1024 * 1024, { stallMs: 10_000, burstMs: 200 });
    expect(stalled.complete).toBe(false);
    expect(stalled.received).toBeLessThan(64 * 1024 * 1024);
    const next = await fetch(`${gw.url}/api/auth/status?code=200`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(next.status).toBe(200);
  }, 40_000);

  it('keeps a client that reads slowly but steadily to the end of its answer', async () => {
    // Read a tenth of the time, in 20 ms bursts: the gateway's writes complete now and then, well
    // inside the timeout, though the client is often paused.
    const slow = await fetchRaw(8 * 1024 * 1024, { stallMs: 0, burstMs: 20 });
    expect(slow.complete, `${slow.received} bytes`).toBe(true);
  }, 30_000);
});

describe('BODY_TIMEOUT_MS', () => {
  it('answers a body not whole in time with a 408 problem naming the limit, and closes', async () => {
    const { port } = new URL(gw.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(
      `POST /api/auth/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n`,
    );
    // 1,000 B/s, four times the minimum rate.
    const steady = setInterval(() => socket.writable && socket.write('a'.repeat(100)), 100);
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => {
      answer += c;
    });
    const t0 = performance.now();
    await new Promise((resolve) => {
      socket.on('close', resolve);
      socket.on('error', () => {});
    });
    clearInterval(steady);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(problem.code).toBe('REQUEST_BODY_TIMEOUT');
    expect(problem.detail).toContain('not whole after 2 s (BODY_TIMEOUT_MS)');
  }, 20_000);

  it('lets a body that arrives in time through', async () => {
    const res = await fetch(`${gw.url}/api/auth/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'b'.repeat(100_000),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { bodyBytes: number }).bodyBytes).toBe(100_000);
  });
});
