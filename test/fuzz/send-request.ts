// Sends a generated request over a real socket, exactly as generated (chunked or with a
// Content-Length, headers as written), and reads the answer within a bound.
import { Agent, request } from 'node:http';
import type { Credential, FuzzRequest } from './openapi-requests.js';

export type Answer =
  | { kind: 'answer'; status: number; contentType: string; body: string; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'error'; code: string; ms: number };

export interface Credentials {
  adminKey: string;
  adminJwt: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The headers a symbolic credential stands for, resolved at send time so seeds replay. */
export function credentialHeaders(credential: Credential, c: Credentials): Record<string, string> {
  switch (credential) {
    case 'admin-key':
      return { 'x-api-key': c.adminKey };
    case 'admin-jwt':
      return { authorization: `Bearer ${c.adminJwt}` };
    case 'none':
      return {};
    case 'bearer-garbage':
      return { authorization: 'Bearer a.b.c' };
    case 'bearer-bad-base64':
      return { authorization: 'Bearer eyJ!!!.e30.%%%' };
    case 'api-key-garbage':
      return { 'x-api-key': 'omk_' + 'z'.repeat(40) };
    case 'basic-malformed':
      return { authorization: 'Basic !!!notbase64' };
    case 'basic-bad-escape':
      return { authorization: `Basic ${b64('%E0%A4%A:x')}` };
    case 'basic-no-colon':
      return { authorization: `Basic ${b64('no-colon')}` };
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Largest answer body kept for checking; the rest is read and dropped. */
const KEEP = 64 * 1024;

/**
 * Sends `req` to `base` and resolves with the answer, `timeout` past `boundMs`, or the socket
 * error when no answer came.
 */
export function send(base: string, req: FuzzRequest, creds: Credentials, boundMs: number): Promise<Answer> {
  const started = Date.now();
  const url = new URL(base);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const headers: Record<string, string> = { ...req.headers, ...credentialHeaders(req.credential, creds) };
    if (req.body !== undefined && !req.chunked) headers['content-length'] = String(req.body.length);
    if (req.chunked) headers['transfer-encoding'] = 'chunked';
    let r: ReturnType<typeof request>;
    try {
      r = request({
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.target,
        headers,
        agent,
      });
    } catch (err) {
      done({ kind: 'error', code: `client refused to send: ${(err as Error).message}`, ms: 0 });
      return;
    }
    const timer = setTimeout(() => {
      r.destroy();
      done({ kind: 'timeout', ms: Date.now() - started });
    }, boundMs);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => {
        if (kept < KEEP) chunks.push(c);
        kept += c.length;
      });
      const finish = () =>
        done({
          kind: 'answer',
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Date.now() - started,
        });
      res.on('end', finish);
      // The answer came; a connection closed after it (a 413 mid-upload) is not a failure.
      res.on('error', finish);
      res.on('aborted', finish);
    });
    r.on('error', (err: NodeJS.ErrnoException) => {
      // A server may answer and close while the body is still going out (an early 413); give
      // the answer a moment to be read before calling the exchange a failure.
      setTimeout(() => done({ kind: 'error', code: err.code ?? err.message, ms: Date.now() - started }), 200);
    });
    if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}
