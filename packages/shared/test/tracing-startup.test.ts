// A service started before the trace store it exports to (auth and ML under `npm start`, before
// monitoring) prints nothing about it and loses none of its first spans: a process with the
// tracing register imported, as every service runs, against a port where the store comes up later.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/testing/external-servers.js';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '..');
const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** Makes one span now and one every 200 ms, until stdin closes. */
const SCRIPT = `
import { trace } from '@opentelemetry/api';
const tracer = trace.getTracer('startup-test');
tracer.startSpan('made before the store is up').end();
const timer = setInterval(() => tracer.startSpan('later').end(), 200);
process.stdin.on('end', () => { clearInterval(timer); });
process.stdin.resume();
`;

describe('a service started before its trace store', () => {
  it('prints no export failure and sends its first spans once the store answers', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        '--import',
        './src/tracing/register.ts',
        '--input-type=module',
        '-e',
        SCRIPT,
      ],
      {
        cwd: SHARED,
        env: {
          ...process.env,
          OPSMESH_TRACE_STORE_URL: `http://127.0.0.1:${port}`,
          OPSMESH_TRACE_EXPORT: 'store',
          OTEL_BSP_SCHEDULE_DELAY: '100',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    const exited = new Promise((r) => child.on('exit', r));
    try {
      // Longer than the OTLP exporter's own retries of a refused connection (5 s): before, its
      // failure was logged here with its stack and the batch dropped.
      await new Promise((r) => setTimeout(r, 6_500));
      expect(stderr).toBe('');
      const names: string[] = [];
      const server = createServer((req, res) => {
        // Protobuf: the span names are in the bytes as written.
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('latin1');
          if (body.includes('made before the store is up')) names.push('made before the store is up');
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        });
      });
      servers.push(server);
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      const deadline = Date.now() + 15_000;
      while (names.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(names).toEqual(['made before the store is up']);
      expect(stderr).toBe('');
    } finally {
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    }
  }, 40_000);
});
