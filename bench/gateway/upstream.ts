// The upstream every bench target proxies to: a plain Node HTTP server answering a small
// JSON document (and 1 MiB streamed in 64 KiB chunks at /big), run as its own process so it
// does not share an event loop with the proxy. `PORTS=n` listens on n ports, one instance
// each as far as a balancer can tell; the first line printed lists their URLs, comma-separated.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ status: 'ok', items: [1, 2, 3], service: 'bench-upstream' });
const CHUNK = Buffer.alloc(64 * 1024, 'x');
const server = createServer((req, res) => {
  if (req.url === '/health/ready' || req.url === '/health/live') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"status":"ok"}');
  }
  if (req.url === '/big') {
    // No content-length: the answer is streamed chunk by chunk, as a proxy must pass it on.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let left = 16;
    const more = (): void => {
      while (left > 0) {
        left--;
        if (left === 0) return void res.end(CHUNK);
        if (!res.write(CHUNK)) return void res.once('drain', more);
      }
    };
    return more();
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
const count = Number(process.env['PORTS'] ?? 1);
const urls: string[] = [];
function listen(): void {
  // Each further port is another server sharing the same handler.
  const s = urls.length === 0 ? server : createServer(server.listeners('request')[0] as never);
  s.keepAliveTimeout = 65_000;
  s.listen(urls.length === 0 ? Number(process.env['PORT'] ?? 0) : 0, '127.0.0.1', () => {
    urls.push(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    if (urls.length < count) listen();
    else process.stdout.write(`${urls.join(',')}\n`);
  });
}
listen();
process.on('SIGTERM', () => process.exit(0));
