// A collector stand-in for the tracing block: takes OTLP/HTTP exports, counts the bytes and
// drops them, so the bench measures what tracing costs the gateway, not a store's work.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let bytes = 0;
let exports = 0;
const server = createServer((req, res) => {
  req.on('data', (c: Buffer) => {
    bytes += c.length;
  });
  req.on('end', () => {
    exports++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`otlp sink: ${exports} exports, ${(bytes / 1e6).toFixed(1)} MB\n`);
  process.exit(0);
});
