import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ConnectionCapOptions, capConnectionsPerClient } from './client-connections.js';

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

/** A plain server on `::` (IPv4 clients show as `::ffff:a.b.c.d`) answering 200, capped. */
async function capped(options: Partial<ConnectionCapOptions> & { max: number }) {
  const refused: string[] = [];
  server = createServer((_req, res) => res.end('ok'));
  const cap = capConnectionsPerClient(server, {
    exempt: () => false,
    onRefused: (socket, head) => {
      refused.push(head.toString('latin1').split('\r\n')[0]!);
      socket.end('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    },
    ...options,
  });
  await new Promise<void>((r) => server!.listen(0, '::', r));
  return { cap, refused, port: (server.address() as AddressInfo).port };
}

/** Sends one GET from `host` and resolves with the status line; the socket stays open. */
function request(port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host }, () => socket.write('GET /x HTTP/1.1\r\nHost: x\r\n\r\n'));
    sockets.push(socket);
    socket.once('data', (c: Buffer) => resolve(c.toString('latin1').split('\r\n')[0]!));
    socket.once('error', reject);
  });
}

describe('capConnectionsPerClient', () => {
  it('counts an IPv4-mapped address as its IPv4 one and IPv6 addresses apart', async () => {
    const { cap, refused, port } = await capped({ max: 2 });
    expect(await request(port, '127.0.0.1')).toBe('HTTP/1.1 200 OK');
    expect(await request(port, '127.0.0.1')).toBe('HTTP/1.1 200 OK');
    expect(cap.open('127.0.0.1')).toBe(2);
    expect(cap.open('::ffff:127.0.0.1')).toBe(2);
    expect(await request(port, '127.0.0.1')).toBe('HTTP/1.1 429 Too Many Requests');
    expect(refused).toEqual(['GET /x HTTP/1.1']);
    expect(await request(port, '::1')).toBe('HTTP/1.1 200 OK');
    expect(cap.open('::1')).toBe(1);
    expect(cap.clients).toBe(2);
  });

  it('leaves exempt addresses uncounted and reports a refused address once', async () => {
    const first: string[] = [];
    const { cap, port } = await capped({
      max: 1,
      exempt: (a) => a === '::1',
      onFirstRefusal: (a) => first.push(a),
    });
    for (let i = 0; i < 3; i++) expect(await request(port, '::1')).toBe('HTTP/1.1 200 OK');
    expect(cap.open('::1')).toBe(0);
    expect(await request(port, '127.0.0.1')).toBe('HTTP/1.1 200 OK');
    for (let i = 0; i < 2; i++) expect(await request(port, '127.0.0.1')).toMatch(/ 429 /);
    expect(first).toEqual(['127.0.0.1']);
  });

  it('with max 0 counts nothing and refuses nothing', async () => {
    const { cap, port } = await capped({ max: 0 });
    for (let i = 0; i < 3; i++) expect(await request(port, '127.0.0.1')).toBe('HTTP/1.1 200 OK');
    expect(cap.clients).toBe(0);
  });
});
