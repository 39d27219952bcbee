// In-process measure of what a SAMPLED proxied request's tracing costs the gateway's main thread,
// and where it goes: the one server span the gateway makes (its end is the gateway's own
// `endExchangeSpan`) against the server + client span pair it made before, exported over OTLP/HTTP
// protobuf to a sink in another process by the SDK's exporter and by the kit's (the same transport,
// the kit's encoder), and, for the one span, the work cut short at each stage: no span processor
// (making the span only), batched with the export dropped, batched and encoded (by the SDK's
// serializer or the kit's) but not sent. CPU time per sampled request, rounds
// interleaved, medians; each round ends with a flush so its export work is counted in it.
// Run: node --conditions=source --import tsx bench/gateway/exchange-span.ts
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { traceparentOf } from '@opsmesh/shared';
import { randomHex } from '../../packages/shared/src/ids/random-pool.js';
import { OtlpProtoExporter } from '../../packages/shared/src/tracing/otlp-proto-exporter.js';
import { encodeSpans } from '../../packages/shared/src/tracing/otlp-span-encoder.js';
import { type SpanSink, spanLimitsFromEnv } from '../../packages/shared/src/tracing/recorded-span.js';
import {
  kitIdGenerator,
  recordServerSpan,
  type TraceChoice,
} from '../../packages/shared/src/tracing/sampling-mirror.js';
import { type ExchangeFacts, endExchangeSpan } from '../../services/gateway/src/proxy/exchange-record.js';
import { UpstreamClients } from '../../services/gateway/src/proxy/upstream-clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.env['BENCH_N'] ?? 20_000);
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 7));
/** Requests between yields to the event loop, so batches are exported as they fill. */
const CHUNK = 64;

const sink = spawn(process.execPath, ['--import', 'tsx', join(here, 'otlp-sink.ts')], {
  cwd: here,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const sinkUrl: string = await new Promise((resolve) =>
  sink.stdout!.once('data', (c: Buffer) => resolve(c.toString().trim())),
);

/** An exporter that ends at a stage: takes the batch and drops it, or serializes it first. */
function stubExporter(encode?: (spans: ReadableSpan[]) => Uint8Array | undefined): SpanExporter {
  let bytes = 0;
  return {
    export(spans: ReadableSpan[], done) {
      if (encode) bytes += encode(spans)?.length ?? 0;
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: async () => {
      if (bytes < 0) throw new Error('unreachable');
    },
  };
}

const resource = resourceFromAttributes({
  'service.name': 'gateway',
  'service.instance.id': 'gateway-bench',
});
function tracerWith(exporter: SpanExporter | undefined): {
  tracer: Tracer;
  provider: NodeTracerProvider;
  sink: SpanSink;
} {
  // A queue deep enough that no span is dropped between yields: the bench counts every one.
  const processors = exporter ? [new BatchSpanProcessor(exporter, { maxQueueSize: 1_000_000 })] : [];
  const provider = new NodeTracerProvider({
    resource,
    idGenerator: kitIdGenerator,
    spanProcessors: processors,
  });
  const sink = { resource, processors, ...spanLimitsFromEnv({}) };
  return { tracer: provider.getTracer('@opsmesh/shared', '0.1.0'), provider, sink };
}

const propagator = new W3CTraceContextPropagator();
const getter = { get: (c: Record<string, string>, k: string) => c[k], keys: (c: object) => Object.keys(c) };
const clients = new UpstreamClients({ connectTimeoutMs: 1000 });
const upstreamClient = clients.get('http://127.0.0.1:8082');
const req = { method: 'GET', headers: {}, socket: {} } as unknown as IncomingMessage;
const route = { name: 'secured', service: { upstream: 'bench-upstream' } };
let sinkChars = 0;

function startAttributes(): Attributes {
  return {
    'http.request.method': 'GET',
    'url.path': '/secured/',
    'url.scheme': 'http',
    'opsmesh.request_id': 'req_0123456789abcdef0123',
    'http.route': '/*',
  };
}

/** Ends an exchange's span with the gateway's own code, as a proxied request's answer ends it. */
function endWithUpstreamFacts(span: Span): void {
  const x = {
    req,
    span,
    route,
    status: 200,
    clientAddress: '127.0.0.1',
    upstreamClient,
    attempts: 1,
    upstreamStatus: 200,
    upstreamMs: 0.412,
  } as unknown as ExchangeFacts;
  endExchangeSpan(x, 'GET', 'secured');
}

/** The gateway's exchange now: one server span, its context sent upstream, ended with the upstream's facts. */
function oneSpan(tracer: Tracer, _sink?: SpanSink): void {
  const parent = propagator.extract(ROOT_CONTEXT, {}, getter);
  const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: startAttributes() }, parent);
  sinkChars += traceparentOf(span)?.length ?? 0;
  endWithUpstreamFacts(span);
}

/** The gateway's exchange with the span the kit records itself (RecordedSpan), as `chooseTrace` sampled it. */
function recordedSpan(_tracer: Tracer, sink: SpanSink): void {
  const choice: TraceChoice = {
    traceId: randomHex(16),
    spanId: randomHex(8),
    parent: undefined,
    sampled: true,
    traceparent: '',
    sink,
  };
  const span = recordServerSpan(choice, 'GET', performance.now(), startAttributes());
  sinkChars += choice.traceparent.length;
  endWithUpstreamFacts(span);
}

/** The gateway's exchange before: a server span and a client span for the upstream call under it. */
function twoSpans(tracer: Tracer, _sink?: SpanSink): void {
  const parent: Context = propagator.extract(ROOT_CONTEXT, {}, getter);
  const server: Span = tracer.startSpan(
    'GET',
    { kind: SpanKind.SERVER, attributes: startAttributes() },
    parent,
  );
  const client = tracer.startSpan(
    'GET bench-upstream',
    { kind: SpanKind.CLIENT, attributes: { 'peer.service': 'bench-upstream' } },
    trace.setSpan(parent, server),
  );
  sinkChars += traceparentOf(client)?.length ?? 0;
  client.setAttribute('http.response.status_code', 200);
  client.setAttribute('url.full', 'http://127.0.0.1:8082/');
  client.setAttribute('opsmesh.gateway.attempts', 1);
  client.end();
  server.updateName('GET secured');
  server.setAttribute('opsmesh.gateway.route', 'secured');
  server.setAttribute('http.response.status_code', 200);
  if (sinkChars < 0) server.setStatus({ code: SpanStatusCode.ERROR });
  server.end();
}

const config = () => ({ url: `${sinkUrl}/v1/traces`, timeoutMillis: 5000 });
const sdkEncode = (spans: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(spans);
const variants = [
  {
    name: "two spans (before), the SDK's exporter",
    make: twoSpans,
    ...tracerWith(new OTLPTraceExporter(config())),
  },
  { name: "one span, the SDK's exporter", make: oneSpan, ...tracerWith(new OTLPTraceExporter(config())) },
  { name: "one span, the kit's exporter", make: oneSpan, ...tracerWith(new OtlpProtoExporter(config())) },
  {
    name: "recorded span, the kit's exporter",
    make: recordedSpan,
    ...tracerWith(new OtlpProtoExporter(config())),
  },
  {
    name: 'recorded span, kit-encoded, not sent',
    make: recordedSpan,
    ...tracerWith(stubExporter(encodeSpans)),
  },
  { name: 'recorded span, batched, dropped', make: recordedSpan, ...tracerWith(stubExporter()) },
  { name: 'one span, SDK-encoded, not sent', make: oneSpan, ...tracerWith(stubExporter(sdkEncode)) },
  { name: 'one span, kit-encoded, not sent', make: oneSpan, ...tracerWith(stubExporter(encodeSpans)) },
  { name: 'one span, batched, export dropped', make: oneSpan, ...tracerWith(stubExporter()) },
  { name: 'one span, no span processor', make: oneSpan, ...tracerWith(undefined) },
].map((v) => ({ ...v, results: [] as number[] }));

/** CPU µs per sampled request of a variant: N requests, yielding every CHUNK, then a flush. */
async function measure(v: (typeof variants)[number]): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i += CHUNK) {
    for (let j = 0; j < CHUNK; j++) v.make(v.tracer, v.sink);
    await new Promise((r) => setImmediate(r));
  }
  await v.provider.forceFlush();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / N;
}

for (const v of variants) await measure(v); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + r) % variants.length]!;
    v.results.push(await measure(v));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `a sampled proxied request's tracing, CPU µs per request, median of ${ROUNDS} rotating rounds of ${N}:`,
);
for (const v of variants)
  console.log(
    `  ${v.name.padEnd(40)} ${median(v.results).toFixed(2)}  (${v.results.map((x) => x.toFixed(2)).join(' ')})`,
  );
// Each round's ratio to the first variant, then their median: the load moves between rounds.
const [two, ...rest] = variants;
for (const v of rest)
  console.log(
    `  ${v.name} / ${two!.name}: ${median(v.results.map((x, i) => x / two!.results[i]!)).toFixed(2)} (median of the rounds' ratios)`,
  );
console.log(`  (${sinkChars % 7})`);
for (const v of variants) await v.provider.shutdown();
await clients.close();
sink.kill('SIGTERM');
