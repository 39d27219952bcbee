// The floor of the gateway's stack: a node:http server passing every request to one upstream
// through an undici pool, as the gateway does (same pool settings, flat header pairs, the
// handler interface, answers streamed back), with none of the gateway's own work: no routing,
// auth, rate limit, header policy, metrics, tracing, retries or health. Whatever this process
// costs per request, a single-process gateway on node:http and undici cannot go below; the
// gateway's figures over it are the gateway's own share. Prints its URL on the first line.
// FLOOR_CLIENT=http makes the upstream leg node:http's keep-alive Agent instead of undici, to
// compare the two clients under the same server. GETs only, as the bench sends.
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
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

const agent = new Agent({ keepAlive: true, maxSockets: 128, keepAliveMsecs: 30_000 });

/** The same pass-through with node:http's client. */
function viaAgent(req: IncomingMessage, res: ServerResponse): void {
  const headers: string[] = ['host', upstream.host];
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (!SKIP.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!);
  }
  const up = request(
    {
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers,
    },
    (answer) => {
      const back: string[] = [];
      const list = answer.rawHeaders;
      for (let i = 0; i < list.length; i += 2) {
        const name = list[i]!.toLowerCase();
        if (name !== 'connection' && name !== 'keep-alive' && name !== 'transfer-encoding')
          back.push(name, list[i + 1]!);
      }
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    },
  );
  up.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
  up.end();
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (process.env['FLOOR_CLIENT'] === 'http') return viaAgent(req, res);
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
