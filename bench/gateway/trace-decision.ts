// In-process measure of the tracing work at the start of a proxied request at 10% sampling:
// the kit's decision without the SDK (chooseTrace, a non-recording span for log ids, and the
// kit's recorded span when sampled) against the SDK's own path (startSpan for every request,
// traceparent from its span), in
// interleaved rounds, CPU time per request, medians. Unsampled and sampled requests mixed as
// the sampler mixes them; spans of sampled ones are ended and dropped (no exporter).
// Run: node --conditions=source --import tsx bench/gateway/trace-decision.ts
import type { IncomingHttpHeaders } from 'node:http';
import { chooseTrace, recordServerSpan, serverSpan, traceparentOf, unsampledSpan } from '@opsmesh/shared';
import { setupTracing } from '../../packages/shared/src/tracing/setup-tracing.js';

process.env['OTEL_TRACES_SAMPLER'] = 'parentbased_traceidratio';
process.env['OTEL_TRACES_SAMPLER_ARG'] = '0.1';
const tracing = setupTracing({ serviceName: 'bench', env: {}, exporters: [], context: 'explicit' });

const N = Number(process.env['BENCH_N'] ?? 200_000);
const ROUNDS = Math.max(1, Number(process.env['BENCH_ROUNDS'] ?? 7));
const headers: IncomingHttpHeaders[] = [
  {},
  { traceparent: '00-5cf92f3577b34da6a3ce929d0e0e4737-00f067aa0ba902b7-00' },
];
let sink = 0;

function viaSdk(h: IncomingHttpHeaders): void {
  const { span } = serverSpan(h, 'GET', {});
  if (span.isRecording()) span.setAttributes({ 'url.path': '/secured/' });
  sink += traceparentOf(span)?.length ?? 0;
  if (span.isRecording()) span.end();
}

function viaDecision(h: IncomingHttpHeaders): void {
  const choice = chooseTrace(h)!;
  if (!choice.sampled) {
    sink += unsampledSpan(choice).spanContext().spanId.length + choice.traceparent.length;
    return;
  }
  const span = recordServerSpan(choice, 'GET', performance.now(), { 'url.path': '/secured/' });
  sink += choice.traceparent.length;
  span.end();
}

/** CPU µs per request of `fn` over N requests (root requests, and a tenth with an unsampled parent). */
function measure(fn: (h: IncomingHttpHeaders) => void): number {
  const start = process.cpuUsage();
  for (let i = 0; i < N; i++) fn(headers[i % 10 === 0 ? 1 : 0]!);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / N;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
measure(viaSdk);
measure(viaDecision);
const sdk: number[] = [];
const decided: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2) {
    decided.push(measure(viaDecision));
    sdk.push(measure(viaSdk));
  } else {
    sdk.push(measure(viaSdk));
    decided.push(measure(viaDecision));
  }
}
console.log(
  `trace decision at 10% sampling, CPU µs per request, median of ${ROUNDS} interleaved rounds of ${N}:`,
);
console.log(
  `  SDK path (startSpan for every request): ${median(sdk).toFixed(3)} (${sdk.map((x) => x.toFixed(3)).join(' ')})`,
);
console.log(
  `  kit decision first (kit-recorded span when sampled): ${median(decided).toFixed(3)} (${decided.map((x) => x.toFixed(3)).join(' ')})`,
);
console.log(`  ratio kit / SDK: ${(median(decided) / median(sdk)).toFixed(2)}  (sink ${sink % 7})`);
await tracing.shutdown();
