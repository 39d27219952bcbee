// The cost per request of the repeated-singleton check (repeatedSingleton) every request passes
// through, against the plain way of writing it (lower every field name) measured in the same
// run: interleaved in-process rounds of a million calls each, medians.
//   node --conditions=source --import tsx bench/gateway/singleton-headers.ts
import { loadavg } from 'node:os';
import { repeatedSingleton } from '@opsmesh/shared';

const NAMES = new Set(['authorization', 'host', 'x-api-key']);

/** The baseline: every field name lowered and looked up. */
function lowerEveryName(rawHeaders: readonly string[]): string | null {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i]!.toLowerCase();
    if (!NAMES.has(lower)) continue;
    if (seen.has(lower)) return lower;
    seen.add(lower);
  }
  return null;
}

// A request as a browser or a load tool sends it through the gateway.
const request = [
  ...['Host', '127.0.0.1:8080', 'User-Agent', 'Mozilla/5.0', 'Accept', 'application/json'],
  ...[
    'Authorization',
    'Bearer eyJhbGciOiJFZERTQSJ9',
    'traceparent',
    '00-0af7651916cd43dd-b7ad6b7169203331-01',
  ],
  ...[
    'x-request-id',
    'req_1',
    'Accept-Encoding',
    'gzip, br',
    'Accept-Language',
    'en',
    'Connection',
    'keep-alive',
  ],
];
const CALLS = 1_000_000;
const ROUNDS = Number(process.env['ROUNDS'] ?? 7);

function nsPerCall(check: (raw: readonly string[]) => string | null): number {
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) if (check(request)) found++;
  if (found !== 0) throw new Error('the benchmark request repeats no singleton field');
  return Number(process.hrtime.bigint() - started) / CALLS;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

nsPerCall(lowerEveryName);
nsPerCall(repeatedSingleton);
const base: number[] = [];
const shipped: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  base.push(nsPerCall(lowerEveryName));
  shipped.push(nsPerCall(repeatedSingleton));
}
console.log(
  `load average ${loadavg()[0]!.toFixed(1)}; ${ROUNDS} interleaved rounds of ${CALLS} calls, medians:`,
);
console.log(`  lower every name (baseline)  ${median(base).toFixed(0)} ns per request`);
console.log(`  repeatedSingleton            ${median(shipped).toFixed(0)} ns per request`);
console.log(`  ratio                        ${(median(shipped) / median(base)).toFixed(2)}`);
