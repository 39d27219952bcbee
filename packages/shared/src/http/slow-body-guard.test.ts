import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardSlowBodies, type SlowBodyGuard } from './slow-body-guard.js';

let server: Server | undefined;
let guard: SlowBodyGuard | undefined;
afterEach(async () => {
  guard?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A server whose handler starts reading the body only when `reading` resolves. */
async function start(
  reading: Promise<void>,
  slow: IncomingMessage[],
  options: { maxMs?: number; reasons?: string[] } = {},
): Promise<number> {
  guard = guardSlowBodies({
    minBytesPerSecond: 240,
    graceMs: 1_000,
    maxMs: options.maxMs ?? 0,
    onSlow: (req, socket, reason) => {
      slow.push(req);
      options.reasons?.push(reason);
      socket.destroy();
    },
  });
  server = createServer((req, res) => {
    guard!.watch(req);
    void reading.then(() => {
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
      });
      req.on('end', () => res.end(String(n)));
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('guardSlowBodies', () => {
  it('cuts a body that trickles in once the grace has passed', async () => {
    const slow: IncomingMessage[] = [];
    const port = await start(Promise.resolve(), slow);
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('a'), 200);
    const closed = await new Promise<number>((resolve) => {
      const t0 = performance.now();
      socket.on('close', () => resolve(performance.now() - t0));
      socket.on('error', () => {});
    });
    clearInterval(trickle);
    expect(slow).toHaveLength(1);
    expect(closed).toBeLessThan(10_000);
  });

  it('cuts a body above the rate that is not whole after maxMs, and lets one that is through', async () => {
    const slow: IncomingMessage[] = [];
    const reasons: string[] = [];
    const port = await start(Promise.resolve(), slow, { maxMs: 2_000, reasons });
    expect(
      await (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(1000) })).text(),
    ).toBe('1000');
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
    // 1,000 B/s, four times the minimum rate: only the deadline stops it.
    const steady = setInterval(() => socket.writable && socket.write('a'.repeat(100)), 100);
    const closed = await new Promise<number>((resolve) => {
      const t0 = performance.now();
      socket.on('close', () => resolve(performance.now() - t0));
      socket.on('error', () => {});
    });
    clearInterval(steady);
    expect(reasons).toEqual(['deadline']);
    expect(closed).toBeGreaterThanOrEqual(1_900);
    expect(closed).toBeLessThan(10_000);
  }, 20_000);

  it('does not count the time the server holds the body back (its reader full, the socket paused)', async () => {
    const slow: IncomingMessage[] = [];
    let read!: () => void;
    const port = await start(new Promise<void>((r) => (read = r)), slow);
    // 8 MiB sent at once: the server reads none of it for 4 s, so the socket pauses and the
    // client stalls behind full buffers, which is no fault of the client's.
    const size = 8 * 1024 * 1024;
    const socket = connect(port, '127.0.0.1');
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`);
    socket.write(Buffer.alloc(size, 97));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      answer += c;
    });
    await new Promise((r) => setTimeout(r, 4_000));
    expect(slow).toHaveLength(0);
    read();
    await new Promise((r) => socket.on('close', r));
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 200 [\\s\\S]*\\r\\n\\r\\n${size}$`));
    expect(slow).toHaveLength(0);
  }, 20_000);

  it("ignores a request made in process, whose stand-in socket has no flow control (Fastify's inject)", () => {
    vi.useFakeTimers();
    try {
      const slow: IncomingMessage[] = [];
      const inProcess = guardSlowBodies({
        minBytesPerSecond: 240,
        graceMs: 0,
        onSlow: (req) => slow.push(req),
      });
      const req = { headers: { 'content-length': '10' }, complete: false, socket: { destroyed: false } };
      inProcess.watch(req as unknown as IncomingMessage);
      // Watched, its check would call the stand-in's missing isPaused from a timer and throw.
      vi.advanceTimersByTime(3_000);
      expect(slow).toHaveLength(0);
      inProcess.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores requests without a body', async () => {
    const slow: IncomingMessage[] = [];
    const port = await start(Promise.resolve(), slow);
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('0');
    expect(slow).toHaveLength(0);
  });
});
