// A kit service that refuses an upload while the client is still sending it: the client must
// read the 413 (naming the route's limit), not a reset, however the two processes race.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/testing/external-servers.js';
import { startUploadLimitService, uploadChunked } from '../src/testing/uploads.js';

let service: RunningServer;

beforeAll(async () => {
  service = await startUploadLimitService(65_536);
});

afterAll(async () => {
  await service?.stop();
});

describe('an upload refused while it is being sent', () => {
  it('reaches the client as 413 naming the limit, every time', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { status, body } = await uploadChunked(`${service.url}/upload`, 4 * 1024 * 1024);
      outcomes.push(status);
      if (status === '413') {
        expect(JSON.parse(body)).toMatchObject({
          code: 'PAYLOAD_TOO_LARGE',
          detail: expect.stringContaining('65536 bytes'),
        });
      }
    }
    expect(outcomes).toEqual(Array(12).fill('413'));
  });
});

/**
 * Sends `head` and the first 64 KiB of a `bytes`-long body, stops reading for `stallMs` (a
 * client on a loaded machine), then sends the rest and reads what came. Resolves with the text
 * read, or the socket error's code when the answer was lost.
 */
function stalledUpload(url: string, head: string, bytes: number, stallMs: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let got = '';
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(got || (err.code ?? 'error')));
    socket.on('close', () => resolve(got));
    socket.once('connect', () => {
      socket.pause();
      socket.write(head);
      socket.write(Buffer.alloc(65_536, 1));
      setTimeout(() => {
        // The answer waits unread in this side's receive buffer while the rest goes out.
        socket.write(Buffer.alloc(bytes - 65_536, 1));
        setTimeout(() => {
          socket.resume();
          socket.end();
        }, 300);
      }, stallMs);
    });
  });
}

describe('an early answer to a client that stalls while uploading', () => {
  const bytes = 1_200_000;
  it('is still there to read when the client resumes (413 from the body limit)', async () => {
    const head = `POST /upload HTTP/1.1\r\nhost: x\r\ncontent-type: application/octet-stream\r\ncontent-length: ${bytes}\r\n\r\n`;
    const got = await stalledUpload(service.url, head, bytes, 3_000);
    expect(got).toMatch(/^HTTP\/1\.1 413 /);
  }, 30_000);

  it('is still there to read when the client resumes (431 from the HTTP parser)', async () => {
    const head = `POST /upload HTTP/1.1\r\nhost: x\r\nx-padding: ${'x'.repeat(20_000)}\r\ncontent-type: application/octet-stream\r\ncontent-length: ${bytes}\r\n\r\n`;
    const got = await stalledUpload(service.url, head, bytes, 3_000);
    expect(got).toMatch(/^HTTP\/1\.1 431 /);
  }, 30_000);
});
