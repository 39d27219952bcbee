// The floor of the gateway's stack: a node:http server passing every request to one upstream
// through an undici pool, as the gateway does (same pool settings, flat header pairs, the
// handler interface, answers streamed back), with none of the gateway's own work: no routing,
// auth, rate limit, header policy, metrics, tracing, retries or health. Whatever this process
// costs per request, a single-process gateway on node:http and undici cannot go below; the
// gateway's figures over it are the gateway's own share. Prints its URL on the first line.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dispatcher, Pool } from 'undici';

const upstream = new URL(process.env['UPSTREAM_URL'] ?? 'http://127.0.0.1:1');
const pool = new Pool(upstream.origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
const SKIP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding']);

class Pass implements Dispatcher.DispatchHandler {
  constructor(private readonly res: ServerResponse) {}
  onConnect(): void {}
  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    const headers: string[] = [];
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1').toLowerCase();
      if (name !== 'connection' && name !== 'keep-alive') headers.push(name, raw[i + 1]!.toString('latin1'));
    }
    this.res.writeHead(status, headers);
    this.resume = resume;
    return true;
  }
  resume: (() => void) | undefined;
  onData(chunk: Buffer): boolean {
    this.res.write(chunk);
    if (this.res.writableLength <= 256 * 1024) return true;
    this.res.once('drain', this.resume!);
    return false;
  }
  onComplete(): void {
    this.res.end();
  }
  onError(): void {
    if (this.res.headersSent) this.res.destroy();
    else this.res.writeHead(502).end();
  }
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const headers: string[] = ['host', upstream.host];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!SKIP.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
  }
  pool.dispatch(
    { path: req.url ?? '/', method: req.method as Dispatcher.HttpMethod, headers, body: null },
    new Pass(res),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
