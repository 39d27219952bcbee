/**
 * Monitoring benchmark: 100 targets × 1,000 series.
 * Prints the raw parser speed, samples ingested per CPU-second, bytes of memory per stored
 * sample, and the time to evaluate 1,000 alert rules, each against its target.
 * Run: npm run bench -w monitoring-service
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ingestExposition } from '../../services/monitoring-service/src/services/metrics/ingest.js';
import { SampleStore } from '../../services/monitoring-service/src/services/metrics/sample-store.js';
import { parsePrometheusText } from '../../services/monitoring-service/src/services/metrics/text-parser.js';
import { scanText } from '../../services/monitoring-service/src/services/metrics/text-scanner.js';
import { benchRules } from './rules.js';
import { syntheticExposition } from './synthetic.js';

const TARGETS = 100;
const SERIES = 1000;
const INGEST_ROUNDS = 20; // 5 minutes of 15 s scrapes, the first one creating every series
const CAPACITY = 240; // 1 h of retention at a 15 s interval

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function cpuSeconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

// Rules first, on a fresh heap: run after the 24-million-sample memory phase, the figure
// mostly times the collector (the rules' own store is built inside benchRules, untimed).
const rules = benchRules(TARGETS, SERIES);
gc();

// 1. Raw parser speed on one target's body.
const body = syntheticExposition(SERIES, 'svc-0', 1);
let scanned = 0;
const visitor = { help() {}, type() {}, sample: () => void scanned++ };
const scanRounds = 300;
const scanCpu = cpuSeconds(() => {
  for (let i = 0; i < scanRounds; i++) scanText(body, visitor);
});
const strictRounds = 60;
const strictCpu = cpuSeconds(() => {
  for (let i = 0; i < strictRounds; i++) parsePrometheusText(body);
});
console.log(
  `parser: scan ${fmt(scanned / scanCpu)} samples/CPU-s (${(body.length / 1024).toFixed(0)} KiB body), ` +
    `strict parse to families ${fmt((strictRounds * SERIES) / strictCpu)} samples/CPU-s`,
);

let firstCpu = 0;
// 2. Ingestion: every target scraped INGEST_ROUNDS times; only ingest is timed.
gc();
const memBefore = process.memoryUsage();
const store = new SampleStore({ capacity: CAPACITY, maxSeries: 200_000, retentionMs: 3_600_000 });
const t0 = Date.UTC(2026, 0, 1);
let ingested = 0;
let ingestCpu = 0;
for (let round = 1; round <= INGEST_ROUNDS; round++) {
  const bodies = Array.from({ length: TARGETS }, (_, t) => syntheticExposition(SERIES, `svc-${t}`, round));
  const roundCpu = cpuSeconds(() => {
    for (let t = 0; t < TARGETS; t++) {
      const r = ingestExposition(
        store,
        `t${t}`,
        { service: `svc-${t}`, instance: `10.0.0.${t}:8080` },
        bodies[t]!,
        t0 + round * 15_000,
      );
      ingested += r.samples;
    }
  });
  ingestCpu += roundCpu;
  if (round === 1) firstCpu = roundCpu;
}
const ingestRate = ingested / ingestCpu;
console.log(
  `ingest: ${fmt(ingestRate)} samples/CPU-s over ${TARGETS}x${SERIES} series x ${INGEST_ROUNDS} scrapes ` +
    `(first scrape, creating ${fmt(TARGETS * SERIES)} series: ${fmt((TARGETS * SERIES) / firstCpu)}/CPU-s; ` +
    `later scrapes: ${fmt(((INGEST_ROUNDS - 1) * TARGETS * SERIES) / (ingestCpu - firstCpu))}/CPU-s)  ` +
    `target >= 500,000: ${verdict(ingestRate >= 500_000)}`,
);

// 3. Memory per stored sample with every ring full. The remaining rounds go through the
// appender with the scrape cache's keys, skipping text so the fill takes seconds, not minutes.
const keys = [...store.groups.values()].map((g) => [...g.cache.keys()]);
for (let round = INGEST_ROUNDS + 1; round <= CAPACITY + 1; round++) {
  let g = 0;
  for (const group of store.groups.values()) {
    const app = store.begin(group.key, t0 + round * 15_000);
    for (const k of keys[g]!) app.addCached(k, round);
    app.commit();
    g++;
  }
}
keys.length = 0;
gc();
const memAfter = process.memoryUsage();
const samples = store.sampleCount();
const grown = memAfter.heapUsed + memAfter.arrayBuffers - memBefore.heapUsed - memBefore.arrayBuffers;
const perSample = grown / samples;
console.log(
  `memory: ${perSample.toFixed(2)} bytes/stored sample (${fmt(samples)} samples in ${fmt(store.seriesCount)} series, ` +
    `ring ${CAPACITY}, heap+buffers grew ${(grown / 2 ** 20).toFixed(0)} MiB; store estimate ` +
    `${(store.approxBytes() / 2 ** 20).toFixed(0)} MiB)  target <= 16: ${verdict(perSample <= 16)}`,
);

// 4. Rule evaluation.
console.log(
  `rules: ${rules.count} rules evaluated in ${rules.ms.toFixed(1)} ms of CPU (median of ${rules.runs} after one untimed cycle, which took ${rules.first.toFixed(1)} ms; ${fmt(rules.alerts)} alerts active)  target < 100 ms: ${verdict(rules.ms < 100)}`,
);
