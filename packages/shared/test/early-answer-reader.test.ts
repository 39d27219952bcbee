// An answer sent before the body was read (a guard's 401, a reader that gives up part-way) keeps
// its connection only when the rest of the body is bounded: a chunked body, or one declared past
// DRAIN_BYTES, is not read to its end for a refused caller; that answer closes, lingering.

import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonErrors } from '../src/errors/define-errors.js';
import { DRAIN_BYTES } from '../src/http/lingering-close.js';
import { createService } from '../src/service/create-service.js';
import { stalledUpload } from '../src/testing/uploads.js';

const app = createService({
  name: 'reader-service',
  version: '1',
  logLevel: 'silent',
  processMetrics: false,
});
let url: string;
let port: number;

beforeAll(async () => {
  app.register(async (r) => {
    r.addContentTypeParser('application/octet-stream', (_req, payload, done) => {
      const sink = new PassThrough({ highWaterMark: 1024 });
      payload.pipe(sink);
      sink.once('data', () => {
        sink.pause();
        done(commonErrors.BAD_REQUEST({ message: 'The upload is not a model; send an .onnx file.' }));
      });
    });
    r.post('/upload', async () => ({ ok: true }));
    r.post(
      '/guarded',
      {
        onRequest: async () => {
          throw commonErrors.UNAUTHENTICATED({ reason: 'Send a bearer token.' });
        },
      },
      async () => ({ ok: true }),
    );
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await app.close();
});

/** Sends only the head and 1 KiB of body, and resolves with the answer's head. */
function answerHead(framing: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(got.slice(0, end).toLowerCase());
      }
    });
    socket.on('error', reject);
    socket.write(`POST /guarded HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${framing}\r\n`);
    socket.write(framing.includes('chunked') ? `400\r\n${'a'.repeat(1024)}\r\n` : 'a'.repeat(1024));
  });
}

describe('an answer sent before the body was read', () => {
  it('keeps its connection for a bounded rest, closes it for an unbounded or huge one', async () => {
    expect(await answerHead('content-length: 2048\r\n')).toMatch(
      /^http\/1\.1 401 [\s\S]*connection: keep-alive/,
    );
    expect(await answerHead('transfer-encoding: chunked\r\n')).toMatch(
      /^http\/1\.1 401 [\s\S]*connection: close/,
    );
    expect(await answerHead(`content-length: ${DRAIN_BYTES + 1}\r\n`)).toMatch(
      /^http\/1\.1 401 [\s\S]*connection: close/,
    );
  });

  it('from a reader that gave up part-way reaches a client that keeps sending', async () => {
    for (const chunked of [false, true]) {
      const got = await stalledUpload(`${url}/upload`, {
        bytes: 4_000_000,
        stallMs: 500,
        chunked,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(got, chunked ? 'chunked' : 'with a Content-Length').toMatch(/^HTTP\/1\.1 400 /);
    }
  }, 60_000);
});
