import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * A local HTTP server playing Slack's side: the Web API (`chat.postMessage`, `chat.update`), incoming
 * webhooks and `response_url`s (any path under `/hooks/`). It records every request so tests can
 * assert on what the service sent, and checks the bot token like Slack does.
 */
export class FakeSlack {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private nextTs = 1_764_126_000;
  url = '';

  constructor(readonly botToken = 'xoxb-test-token') {}

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  hookUrl(name: string): string {
    return `${this.url}/hooks/${name}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> = {};
        try {
          body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
        } catch {
          body = { raw };
        }
        const path = req.url ?? '/';
        this.requests.push({ path, headers: req.headers, body });
        // A hook that has moved: Slack's never do, so a client must not follow this one.
        if (path.startsWith('/hooks/moved/')) {
          res.writeHead(307, { location: path.replace('/hooks/moved/', '/hooks/followed/') }).end();
          return;
        }
        if (path.startsWith('/hooks/')) {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          return;
        }
        const json = (data: object) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
        if (req.headers.authorization !== `Bearer ${this.botToken}`)
          return json({ ok: false, error: 'invalid_auth' });
        const channel = typeof body['channel'] === 'string' ? body['channel'] : '';
        if (!channel) return json({ ok: false, error: 'channel_not_found' });
        // Slack answers with the channel id; a name like "#alerts" becomes a stable fake id.
        const id = channel.startsWith('#')
          ? `C${channel
              .slice(1)
              .toUpperCase()
              .replace(/[^A-Z0-9]/g, '')}`
          : channel;
        if (path === '/api/chat.postMessage')
          return json({ ok: true, channel: id, ts: `${this.nextTs++}.000100` });
        if (path === '/api/chat.update') return json({ ok: true, channel: id, ts: body['ts'] });
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'unknown_method' }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Requests to one path, in arrival order. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path || r.path.startsWith(`${path}/`));
  }

  /** Resolves once `count` requests reached `path`, or rejects after `timeoutMs`. */
  async waitFor(path: string, count = 1, timeoutMs = 5000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hits = this.to(path);
      if (hits.length >= count) return hits;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`expected ${count} request(s) to ${path}, got ${this.to(path).length}`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
