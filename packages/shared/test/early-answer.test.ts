// A kit service that refuses an upload while the client is still sending it: the client must
// read the 413 (naming the route's limit), not a reset, however the two processes race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/testing/external-servers.js';
import { stalledUpload, startUploadLimitService, uploadChunked } from '../src/testing/uploads.js';

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

describe('an early answer to a client that stalls while uploading', () => {
  const bytes = 1_200_000;
  it('is still there to read when the client resumes (413 from the body limit)', async () => {
    for (const chunked of [false, true]) {
      const got = await stalledUpload(`${service.url}/upload`, {
        bytes,
        stallMs: 3_000,
        chunked,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(got, chunked ? 'chunked' : 'with a Content-Length').toMatch(/^HTTP\/1\.1 413 /);
    }
  }, 30_000);

  it('is still there to read when the client resumes (431 from the HTTP parser)', async () => {
    const got = await stalledUpload(`${service.url}/upload`, {
      bytes,
      stallMs: 3_000,
      headers: { 'content-type': 'application/octet-stream', 'x-padding': 'x'.repeat(20_000) },
    });
    expect(got).toMatch(/^HTTP\/1\.1 431 /);
  }, 30_000);
});
