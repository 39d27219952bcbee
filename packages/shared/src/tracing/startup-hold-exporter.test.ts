import { createServer, type Server } from 'node:http';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../testing/external-servers.js';
import { OtlpJsonExporter } from './otlp-proto-exporter.js';
import { sdkErrorMessage } from './setup-tracing.js';
import { StartupHoldExporter } from './startup-hold-exporter.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** Finished spans with these names, made by a tracer of their own. */
function spans(...names: string[]): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('test');
  for (const name of names) tracer.startSpan(name).end();
  return memory.getFinishedSpans();
}

/** An OTLP/HTTP JSON receiver on `port` recording the names of the spans it is sent. */
async function receiver(port: number): Promise<string[]> {
  const names: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const doc = JSON.parse(body) as {
        resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
      };
      for (const r of doc.resourceSpans)
        for (const s of r.scopeSpans) for (const sp of s.spans) names.push(sp.name);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return names;
}

function send(exporter: StartupHoldExporter, batch: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(batch, resolve));
}

function holding(port: number, clock: { t: number }, maxSpans = 100) {
  // A short export timeout: the exporter's retries of a refused connection end within it.
  const otlp = new OtlpJsonExporter({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMillis: 300 });
  return new StartupHoldExporter(otlp, {
    destination: `the trace store at http://127.0.0.1:${port}`,
    holdMs: 60_000,
    maxSpans,
    now: () => clock.t,
  });
}

describe('StartupHoldExporter', () => {
  it('holds what a store still starting refuses and sends it with the next batch once it answers', async () => {
    const port = await freePort();
    const clock = { t: 0 };
    const exporter = holding(port, clock);
    const first = await send(exporter, spans('migration', 'bootstrap admin'));
    // Reported as done, so the batch processor logs no failure; the spans wait here.
    expect(first.code).toBe(ExportResultCode.SUCCESS);
    expect(exporter.heldSpans).toBe(2);
    const received = await receiver(port);
    clock.t = 10_000;
    expect((await send(exporter, spans('first request'))).code).toBe(ExportResultCode.SUCCESS);
    expect(received).toEqual(['migration', 'bootstrap admin', 'first request']);
    expect(exporter.heldSpans).toBe(0);
    await exporter.shutdown();
  });

  it('keeps only the newest spans up to its bound', async () => {
    const port = await freePort();
    const exporter = holding(port, { t: 0 }, 2);
    await send(exporter, spans('a', 'b'));
    await send(exporter, spans('c'));
    expect(exporter.heldSpans).toBe(2);
    const received = await receiver(port);
    await send(exporter, spans('d'));
    expect(received).toEqual(['b', 'c', 'd']);
    await exporter.shutdown();
  });

  it('passes a failure on, in one sentence naming the destination, after the window or once the store answered', async () => {
    const port = await freePort();
    const clock = { t: 0 };
    const late = holding(port, clock);
    clock.t = 60_000;
    const failed = await send(late, spans('after the window'));
    expect(failed.code).toBe(ExportResultCode.FAILED);
    expect(late.heldSpans).toBe(0);
    expect(sdkErrorMessage(failed.error)).toBe(
      `1 span(s) not exported to the trace store at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    await late.shutdown();

    // A store that answered once and then went away is an outage, not a start: reported.
    const port2 = await freePort();
    const reached = holding(port2, { t: 0 });
    await receiver(port2);
    expect((await send(reached, spans('ok'))).code).toBe(ExportResultCode.SUCCESS);
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    expect((await send(reached, spans('lost'))).code).toBe(ExportResultCode.FAILED);
    await reached.shutdown();
  });
});
