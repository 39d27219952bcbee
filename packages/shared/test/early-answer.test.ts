// A kit service that refuses an upload while the client is still sending it: the client must
// read the 413 (naming the route's limit), not a reset, however the two processes race.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      fileURLToPath(new URL('./fixtures/upload-limit-service.ts', import.meta.url)),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the upload service did not start')), 20_000);
    child.stdout!.once('data', (c: Buffer) => {
      clearTimeout(timer);
      resolve(c.toString('utf8').trim());
    });
  });
});

afterAll(() => {
  child?.kill('SIGTERM');
});

/** Sends 4 MiB chunked as fast as the socket takes it; the answer's status and body, or the error code. */
function uploadChunked(target: string, bytes = 4 * 1024 * 1024): Promise<{ status: string; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: String(res.statusCode), body }));
        res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: err.code ?? 'error', body }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: err.code ?? 'error', body: '' }));
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('an upload refused while it is being sent', () => {
  it('reaches the client as 413 naming the limit, every time', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { status, body } = await uploadChunked(`${url}/upload`);
      outcomes.push(status);
      if (status === '413')
        expect(JSON.parse(body)).toMatchObject({
          code: 'PAYLOAD_TOO_LARGE',
          detail: expect.stringContaining('65536 bytes'),
        });
    }
    expect(outcomes).toEqual(Array(12).fill('413'));
  });
});
