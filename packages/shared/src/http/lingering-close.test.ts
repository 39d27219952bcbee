import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { lingerOnClose } from './lingering-close.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('lingerOnClose', () => {
  it('destroys the socket after the linger time even if the client keeps sending', async () => {
    const server = createServer((req, res) => {
      lingerOnClose(req.socket, { idleMs: 200, maxMs: 200 });
      res.writeHead(413, { connection: 'close' });
      res.end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = await new Promise<number>((resolve) => {
      const started = Date.now();
      const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
      req.on('response', (res) => res.resume());
      // A client that never stops: writes a little every 20 ms until the server lets go.
      const timer = setInterval(() => req.write('x'), 20);
      req.on('error', () => {});
      req.on('close', () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
    });
    expect(closed).toBeLessThan(5_000);
  });
});
