import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
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

/**
 * POSTs `bytes` of body to `url` over a raw socket (with a Content-Length, or chunked), but
 * after the first 64 KiB stops reading for `stallMs` (a client on a loaded machine), then sends
 * the rest and reads what came. Resolves with the raw answer text, or the socket error's code
 * when the answer was lost to a reset.
 *
 * @example
 * await stalledUpload(`${svc.url}/upload`, { bytes: 1_200_000, stallMs: 3_000 }); // 'HTTP/1.1 413 ...'
 */
export function stalledUpload(
  url: string,
  opts: { bytes: number; stallMs: number; chunked?: boolean; headers?: Record<string, string> },
): Promise<string> {
  const { hostname, port, pathname, search } = new URL(url);
  const framing = opts.chunked
    ? { 'transfer-encoding': 'chunked' }
    : { 'content-length': String(opts.bytes) };
  const lines = Object.entries({ host: `${hostname}:${port}`, ...framing, ...opts.headers }).map(
    ([k, v]) => `${k}: ${v}\r\n`,
  );
  const head = `POST ${pathname}${search} HTTP/1.1\r\n${lines.join('')}\r\n`;
  const part = (n: number) => {
    const data = Buffer.alloc(n, 0x61);
    return opts.chunked
      ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), data, Buffer.from('\r\n')])
      : data;
  };
  const first = Math.min(65_536, opts.bytes);
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
      socket.write(part(first));
      setTimeout(() => {
        // The answer waits unread in this side's receive buffer while the rest goes out.
        if (opts.bytes > first) socket.write(part(opts.bytes - first));
        if (opts.chunked) socket.write('0\r\n\r\n');
        setTimeout(() => {
          socket.resume();
          socket.end();
        }, 300);
      }, opts.stallMs);
    });
  });
}
