import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from './external-servers.js';

/**
 * Starts a kit service refusing uploads over `limit` bytes at `POST /upload` (413 from the
 * kit's body limit), as its own process; resolves once it listens.
 *
 * @example
 * const svc = await startUploadLimitService(65_536);
 * await uploadChunked(`${svc.url}/upload`, 4 << 20); // { status: '413', body: '{...}' }
 */
export async function startUploadLimitService(limit = 65_536): Promise<RunningServer> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const script = fileURLToPath(new URL(`./upload-limit-service${ext}`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', script], {
    env: { ...process.env, UPLOAD_LIMIT: String(limit) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the upload service did not start within 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`the upload service exited with ${code}`)));
    child.stdout!.once('data', (c: Buffer) => {
      clearTimeout(timer);
      resolve(c.toString('utf8').trim().split('\n')[0]!);
    });
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Uploads `bytes` chunked (no Content-Length) as fast as the socket takes them, as a client
 * that keeps sending while an early answer arrives. Resolves with the answer's status and
 * body, or with the socket error's code when the answer never arrived.
 */
export function uploadChunked(
  url: string,
  bytes: number,
  headers: Record<string, string> = {},
): Promise<{ status: string; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked', ...headers },
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
