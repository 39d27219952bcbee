// A kit service that refuses an upload while the client is still sending it: the client must
// read the 413 (naming the route's limit), not a reset, however the two processes race.
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
