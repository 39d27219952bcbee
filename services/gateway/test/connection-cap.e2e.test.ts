// One client address may hold at most MAX_CONNECTIONS_PER_CLIENT connections to the gateway at
// once: one more is answered 429 and closed before any routing, a connection given back (however
// it closes) lets a new one in, and the proxies in TRUST_PROXY, which carry many clients, are not
// counted.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoSetup, echoSetup, type TestGateway } from './helpers.js';

const MAX = 3;

let setup: EchoSetup;
let gw: TestGateway;
let trusting: TestGateway;
let token: string;

beforeAll(async () => {
  setup = await echoSetup();
  [gw, trusting] = await Promise.all([
    setup.gateway({ env: { MAX_CONNECTIONS_PER_CLIENT: String(MAX) } }),
    setup.gateway({ env: { MAX_CONNECTIONS_PER_CLIENT: '1', TRUST_PROXY: 'loopback' } }),
  ]);
  token = await setup.identity.token({ roles: ['viewer'], sub: 'usr_conn' });
});
afterAll(() => setup?.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A connection to `gateway` from 127.0.0.1, once it is established. */
function open(gateway: TestGateway): Promise<Socket> {
  const { port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ port: Number(port), host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `head` (and `body`) on the socket and reads one answer with a Content-Length. */
function ask(socket: Socket, head: string, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buf.length < end + 4 + length) return;
      socket.off('data', onData);
      resolve({
        status: Number(lines[0]!.split(' ')[1]),
        headers,
        body: buf.subarray(end + 4, end + 4 + length).toString('utf8'),
      });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed before an answer: ${buf.toString('latin1')}`)));
    socket.write(head + body);
  });
}

const get = (socket: Socket, path: string) => ask(socket, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);

/** `n` connections, each shown admitted by a keep-alive answer from the gateway's own route. */
async function admitted(gateway: TestGateway, n: number): Promise<Socket[]> {
  const sockets = await Promise.all(Array.from({ length: n }, () => open(gateway)));
  for (const s of sockets) expect((await get(s, '/health/live')).status).toBe(200);
  return sockets;
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** Waits (bounded) until the gateway counts `n` connections from 127.0.0.1. */
async function counted(gateway: TestGateway, n: number): Promise<void> {
  const cap = gateway.app.gateway.clientConnections;
  for (let i = 0; i < 100 && cap.open('127.0.0.1') !== n; i++) await new Promise((r) => setTimeout(r, 50));
  expect(cap.open('127.0.0.1')).toBe(n);
}

async function refusals(gateway: TestGateway): Promise<number> {
  const text = (await gateway.app.inject({ url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith('gateway_connections_refused_total '));
  return Number(line?.split(' ')[1]);
}

describe('connections per client address', () => {
  it('answers the one past MAX_CONNECTIONS_PER_CLIENT with a 429 problem, closes it, and counts it', async () => {
    const before = await refusals(gw);
    const held = await admitted(gw, MAX);
    const extra = await open(gw);
    const answer = await ask(
      extra,
      `GET /api/auth/echo?x=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
    expect(answer.status).toBe(429);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['connection']).toBe('close');
    expect(answer.headers['retry-after']).toBe('1');
    const problem = JSON.parse(answer.body);
    expect(problem.code).toBe('GATEWAY_TOO_MANY_CONNECTIONS');
    expect(problem.instance).toBe('/api/auth/echo');
    expect(problem.detail).toContain(`${MAX} open connections`);
    expect(problem.detail).toContain('MAX_CONNECTIONS_PER_CLIENT');
    await closed(extra);
    expect(await refusals(gw)).toBe(before + 1);
    // The held connections still serve, and the refused one was never counted.
    expect((await get(held[0]!, '/health/live')).status).toBe(200);
    await counted(gw, MAX);
    for (const s of held) s.destroy();
    await counted(gw, 0);
  });

  it('lets a new connection in once one is given back', async () => {
    const held = await admitted(gw, MAX);
    held[0]!.end();
    await closed(held[0]!);
    await counted(gw, MAX - 1);
    const next = await open(gw);
    expect((await get(next, '/health/live')).status).toBe(200);
    for (const s of [...held, next]) s.destroy();
    await counted(gw, 0);
  });

  it('gives a count back however its connection closes: end, reset, a bad request, a body too slow', async () => {
    const [ended, reset, bad] = await admitted(gw, MAX);
    await counted(gw, MAX);
    ended!.end();
    reset!.resetAndDestroy();
    // A request line the parser refuses: the gateway answers 400 and closes.
    const refused = await ask(bad!, 'NOT HTTP\r\n\r\n');
    expect(refused.status).toBe(400);
    await Promise.all([closed(ended!), closed(reset!), closed(bad!)]);
    await counted(gw, 0);
    expect(gw.app.gateway.clientConnections.clients).toBe(0);

    // A body that never comes is cut by the slow-body guard (408 after its 5 s grace).
    const [trickle] = await admitted(gw, 1);
    await counted(gw, 1);
    const cut = await ask(
      trickle!,
      `POST /api/auth/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n`,
      'a',
    );
    expect(cut.status).toBe(408);
    await closed(trickle!);
    await counted(gw, 0);
    // The whole allowance is there again.
    const again = await admitted(gw, MAX);
    for (const s of again) s.destroy();
    await counted(gw, 0);
  }, 20_000);

  it('closes a refused connection that sends nothing within a few seconds', async () => {
    const held = await admitted(gw, MAX);
    const silent = await open(gw);
    const started = Date.now();
    await closed(silent);
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const s of held) s.destroy();
    await counted(gw, 0);
  }, 10_000);

  it('does not count connections from the proxies in TRUST_PROXY', async () => {
    const before = await refusals(trusting);
    const held = await admitted(trusting, 4);
    expect(trusting.app.gateway.clientConnections.open('127.0.0.1')).toBe(0);
    expect(await refusals(trusting)).toBe(before);
    for (const s of held) s.destroy();
  });
});
