import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

// What Slack reads between < and > in mrkdwn: a link (with an optional label), a user or channel
// mention, or a special command (<!here>, <!subteam^ID>, <!date^...>). Anything else in <> is
// markup Slack cannot read, so text must carry its < and > escaped.
const SLACK_MARKUP =
  /<(?:(?:https?:\/\/|mailto:)[^\s|<>]+|@[UW][A-Z0-9]+|#C[A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+|!date\^[^|<>]+)(?:\|[^|<>]+)?>/g;

/** The ways one mrkdwn string breaks Slack's "Escaping text" rules, one line per fault. */
export function mrkdwnFaults(text: string): string[] {
  const faults: string[] = [];
  const rest = text.replace(SLACK_MARKUP, '');
  const stray = rest.match(/[<>]/g);
  if (stray)
    faults.push(
      `unescaped ${[...new Set(stray)].join(' ')} outside a link or mention in ${JSON.stringify(text)}`,
    );
  if (/&(?!amp;|lt;|gt;)/.test(text))
    faults.push(`an & that is not &amp;, &lt; or &gt; in ${JSON.stringify(text)}`);
  return faults;
}

/**
 * Checks a message body as Slack reads it: its top-level `text` (mrkdwn unless `mrkdwn: false`)
 * and every mrkdwn text object in its blocks. plain_text and button values are shown or sent back
 * as written, so they may hold any character.
 */
export function slackMessageFaults(body: Record<string, unknown>): string[] {
  const faults: string[] = [];
  if (typeof body['text'] === 'string' && body['mrkdwn'] !== false)
    faults.push(...mrkdwnFaults(body['text']));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['type'] === 'mrkdwn' && typeof o['text'] === 'string') faults.push(...mrkdwnFaults(o['text']));
    for (const [key, value] of Object.entries(o)) if (key !== 'value') visit(value);
  };
  visit(body['blocks']);
  return faults;
}

/**
 * A local HTTP server playing Slack's side: the Web API (`chat.postMessage`, `chat.update`), incoming
 * webhooks and `response_url`s (any path under `/hooks/`). It records every request so tests can
 * assert on what the service sent, checks the bot token like Slack does, and reads each message's
 * text as Slack would: text Slack would misread (an unescaped `<`, `>` or `&`) is kept in `faults`,
 * and `close()` fails while any is there.
 */
export class FakeSlack {
  readonly requests: RecordedRequest[] = [];
  readonly faults: string[] = [];
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
        this.faults.push(...slackMessageFaults(body).map((f) => `${path}: ${f}`));
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
    if (this.faults.length > 0) {
      throw new Error(
        `Slack would misread ${this.faults.length} message text(s):\n${this.faults.join('\n')}`,
      );
    }
  }
}
