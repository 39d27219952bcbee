// Oversized bodies (1.2 MB, past the 1 MiB limit) sent to a real listening monitoring service,
// with a Content-Length and chunked, with and without credentials: each is answered (413, 401 or
// 415 as problem+json), never reset — in a loop, since resets depend on how the two sides race,
// and from a client that stalls mid-upload, as one on a loaded machine does.
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stalledUpload } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, type Harness } from './helpers/harness.js';

let h: Harness;
let base: string;
let admin: string;

beforeAll(async () => {
  h = await buildHarness({ services: {} });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  admin = await h.token(['admin']);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const BIG = Buffer.from(`{"a":"${'x'.repeat(1_200_000)}"}`);
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

interface Case {
  path: string;
  type: string;
  auth: boolean;
  status: number;
}

/** Each route that takes a body, each way it refuses this one before reading it all. */
const CASES: Case[] = [
  { path: '/silences', type: 'application/json', auth: true, status: 413 },
  { path: '/silences', type: 'application/json', auth: false, status: 401 },
  { path: '/silences', type: 'application/octet-stream', auth: true, status: 415 },
  { path: '/rules', type: 'application/json', auth: true, status: 413 },
  { path: '/rules/import', type: 'application/json', auth: true, status: 413 },
  { path: '/rules/import', type: 'application/yaml', auth: true, status: 413 },
  { path: '/rules/import', type: 'application/yaml', auth: false, status: 401 },
  { path: '/rules/import', type: 'text/plain', auth: true, status: 415 },
];

const headersOf = (c: Case): Record<string, string> => ({
  'content-type': c.type,
  ...(c.auth ? { authorization: `Bearer ${admin}` } : {}),
});

/** Sends the whole body in one write; resolves with "status content-type", or the socket error. */
function send(c: Case, chunked: boolean): Promise<string> {
  return new Promise((resolve) => {
    const framing = chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(BIG.length) };
    const r = request(
      `${base}${c.path}`,
      { method: 'POST', headers: { ...headersOf(c), ...framing }, agent },
      (res) => {
        res.resume();
        const answer = `${res.statusCode} ${res.headers['content-type']}`;
        res.on('end', () => resolve(answer));
        res.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      },
    );
    // An error after the answer arrived does not win: the answer is what the client keeps.
    r.on('error', (e: NodeJS.ErrnoException) => setTimeout(() => resolve(e.code ?? 'error'), 200));
    r.end(BIG);
  });
}

describe('an oversized body to the monitoring service', () => {
  it('is answered every time, with a Content-Length and chunked, never reset', async () => {
    const wrong: string[] = [];
    const deadline = Date.now() + 60_000;
    for (let round = 0; round < 8 && Date.now() < deadline; round++) {
      for (const c of CASES) {
        for (const chunked of [false, true]) {
          const got = await send(c, chunked);
          if (got !== `${c.status} application/problem+json`) {
            wrong.push(`${c.path} ${c.type} auth=${c.auth} chunked=${chunked}: ${got}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('is answered to a client that stops reading for 3 s mid-upload', async () => {
    const wrong: string[] = [];
    await Promise.all(
      CASES.flatMap((c) =>
        [false, true].map(async (chunked) => {
          const got = await stalledUpload(`${base}${c.path}`, {
            bytes: 1_200_000,
            stallMs: 3_000,
            chunked,
            headers: headersOf(c),
          });
          if (!got.startsWith(`HTTP/1.1 ${c.status} `)) {
            wrong.push(`${c.path} ${c.type} auth=${c.auth} chunked=${chunked}: ${got.slice(0, 40)}`);
          }
        }),
      ),
    );
    expect(wrong).toEqual([]);
  }, 60_000);
});
