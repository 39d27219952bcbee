import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, type Started, startProcess } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AlertTracker } from '../src/services/alerting/alert-state.js';
import { defaultRules } from '../src/services/alerting/default-rules.js';
import { LocalExprEvaluator } from '../src/services/alerting/expr-evaluator.js';
import { parseRuleFile, toRuleFile } from '../src/services/alerting/rule-file.js';
import { compileRule, type RuleSpec } from '../src/services/alerting/rule-model.js';
import { PromQLQueries } from '../src/services/promql/query-service.js';
import { conformanceSeries, openMetrics, STEP_MS } from './helpers/conformance-data.js';
import { waitFor } from './helpers/processes.js';
import { storeWith } from './helpers/series-fixture.js';

/**
 * The built-in PromQL engine against a real Prometheus (Debian package `prometheus`, started
 * here on a loopback port with its own TSDB directory). Both get identical samples: the test
 * writes them as OpenMetrics, backfills Prometheus with `promtool tsdb create-blocks-from
 * openmetrics` (exact timestamps), and loads the same points into the built-in store. Every
 * query of the table is run through both at several instants; label sets must be equal and
 * values equal within 1e-9 relative (the engines add in different orders).
 *
 * The same rule file (the default pack and rules exercising templates, rule labels, `for` and
 * `keep_firing_for`, written by the export) is loaded by Prometheus and compiled here: every
 * alert Prometheus holds must be the built-in engine's at Prometheus' own evaluation time, with
 * the same labels, value, annotations and state.
 *
 * Window edges never fall on a sample (each series is shifted by its own milliseconds), so
 * Prometheus 2's left-closed windows and the built-in engine's left-open ones (Prometheus 3)
 * select the same samples.
 */
const prometheusBin = findBinary('prometheus');
const promtoolBin = findBinary('promtool');
const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
const missing = !prometheusBin || !promtoolBin;
if (missing && inCi) throw new Error('CI requires prometheus and promtool (apt-get install prometheus)');
if (missing)
  process.stderr.write('notice: prometheus/promtool not installed; the PromQL conformance test is skipped\n');

const SAMPLES = 180; // 45 minutes
const end = Math.floor((Date.now() - 5_000) / STEP_MS) * STEP_MS;
const start = end - (SAMPLES - 1) * STEP_MS;
const series = conformanceSeries(start, SAMPLES);

/** Query instants: off the 15 s grid and off every shifted sample. */
const INSTANTS = [end - 25 * 60_000 + 11_100, end - 10 * 60_000 + 3_300, end + 13_300 - STEP_MS];

const ERROR_RATIO =
  'sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))';

const QUERIES = [
  'up',
  'up == 0',
  'up{service=~"a.*"}',
  'up{service!~"a.*",instance!="i1"}',
  '{__name__="up",service="ml"}',
  'process_resident_memory_bytes offset 5m',
  'rate(http_requests_total[5m])',
  'rate(http_requests_total{service="api"}[2m] offset 3m)',
  'irate(http_requests_total[1m])',
  'increase(http_requests_total{status_code="500"}[10m])',
  'increase(http_requests_total{service="api",instance="i1",status_code="200"}[30m])',
  'delta(queue_depth[10m])',
  'idelta(queue_depth[2m])',
  'resets(http_requests_total[30m])',
  'changes(up[30m])',
  'sum by (service) (rate(http_requests_total[5m]))',
  'sum without (instance) (rate(http_requests_total[5m]))',
  ERROR_RATIO,
  `${ERROR_RATIO} > 0.012`,
  `${ERROR_RATIO} > bool 0.012`,
  'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.5, rate(http_request_duration_seconds_bucket[5m]))',
  'histogram_quantile(0.9, sum by (le) (increase(http_request_duration_seconds_bucket[10m])))',
  'avg_over_time(process_resident_memory_bytes[10m])',
  'min_over_time(queue_depth[10m])',
  'max_over_time(queue_depth[10m])',
  'sum_over_time(queue_depth[5m])',
  'count_over_time(up[5m])',
  'last_over_time(queue_depth[5m])',
  'stddev_over_time(process_resident_memory_bytes[10m])',
  'stdvar_over_time(queue_depth[10m])',
  'quantile_over_time(0.9, process_resident_memory_bytes[10m])',
  'present_over_time(up{service="ml"}[5m])',
  'avg by (service) (process_resident_memory_bytes)',
  'min(process_resident_memory_bytes)',
  'max by (instance) (process_resident_memory_bytes)',
  'count by (service) (up == 1)',
  'group by (service) (up)',
  'topk(2, process_resident_memory_bytes)',
  'bottomk by (service) (1, process_resident_memory_bytes)',
  'quantile(0.75, process_resident_memory_bytes)',
  'stddev(process_resident_memory_bytes)',
  'stdvar by (service) (process_resident_memory_bytes)',
  'rate(http_requests_total[5m]) / on(service, instance) group_left sum by (service, instance) (rate(http_requests_total[5m]))',
  'up * on(service, instance) group_right rate(http_requests_total[5m])',
  'process_resident_memory_bytes / ignoring(instance) group_left avg without (instance) (process_resident_memory_bytes)',
  'http_requests_total / ignoring(status_code, le) group_left(le) http_request_duration_seconds_bucket{le="+Inf"}',
  'up and on(service) (queue_depth > 0)',
  'up unless on(service, instance) (process_resident_memory_bytes > 1.3e8)',
  'queue_depth or vector(0)',
  'process_resident_memory_bytes > 1.2e8',
  '1.2e8 < process_resident_memory_bytes',
  'process_resident_memory_bytes / 1e6 + 3',
  'absent(up{service="nope",instance="x"})',
  'absent(up)',
  'absent_over_time(nothing{job="x"}[5m])',
  'scalar(sum(up)) * 2',
  'count(up) + 1',
  '2 ^ 3 % 5',
  '1 > bool 2',
  'time()',
  '-queue_depth',
  'abs(queue_depth)',
  'clamp(queue_depth, -2, 3)',
  'clamp_min(queue_depth, 0)',
  'round(process_resident_memory_bytes / 1e6, 0.5)',
  'sqrt(abs(queue_depth))',
  'ceil(queue_depth / 3) + floor(queue_depth / 3)',
  'exp(queue_depth / 10) * ln(process_resident_memory_bytes) + log2(up + 1) - log10(process_resident_memory_bytes)',
  'sgn(queue_depth)',
  'sort_desc(sum by (service) (rate(http_requests_total[5m])))',
];

interface Result {
  type: string;
  rows: Map<string, number>;
}

const labelKey = (m: Record<string, string>) =>
  `{${Object.keys(m)
    .sort()
    .map((k) => `${k}="${m[k]}"`)
    .join(',')}}`;

const spec = (s: Partial<RuleSpec> & Pick<RuleSpec, 'name' | 'expr'>): RuleSpec => ({
  for: '0s',
  keepFiringFor: '0s',
  severity: 'warning',
  labels: {},
  annotations: {},
  enabled: true,
  ...s,
});

const RULES: RuleSpec[] = [
  ...defaultRules({ sloObjective: 0.999 }),
  spec({
    name: 'InstanceDown',
    expr: 'up == 0',
    severity: 'critical',
    annotations: { summary: '{{ $labels.service }} {{ $labels.instance }} is down' },
  }),
  spec({
    name: 'Errors',
    expr: ERROR_RATIO + ' > 0.012',
    labels: { team: '{{ $labels.service }}-team' },
    annotations: {
      summary: '{{ $labels.service }} fails {{ humanizePercentage $value }}',
      raw: '{{ $value }}',
    },
  }),
  spec({
    name: 'SlowP90',
    expr: 'histogram_quantile(0.9, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.1',
    for: '1h',
    annotations: { summary: 'p90 {{ humanizeDuration $value }}' },
  }),
  spec({
    name: 'MemoryHigh',
    expr: 'process_resident_memory_bytes > 1.2e8',
    severity: 'info',
    keepFiringFor: '10m',
    annotations: { summary: '{{ $labels.instance }} holds {{ humanize $value }}B' },
  }),
  spec({ name: 'NothingThere', expr: 'absent(up{service="nope",job="x"})' }),
];

function toResult(data: { resultType: string; result: unknown }): Result {
  const rows = new Map<string, number>();
  if (data.resultType === 'scalar') rows.set('scalar', Number((data.result as [number, string])[1]));
  else
    for (const r of data.result as Array<{ metric: Record<string, string>; value: [number, string] }>)
      rows.set(labelKey(r.metric), Number(r.value[1]));
  return { type: data.resultType, rows };
}

/** Equal within 1e-9 relative (and 1e-12 absolute for values that cancel out to about zero). */
function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(b)), 1e-12);
}

function differences(query: string, theirs: Result, ours: Result): string[] {
  const out: string[] = [];
  if (theirs.type !== ours.type) out.push(`${query}: result type ${ours.type}, Prometheus ${theirs.type}`);
  for (const [k, v] of theirs.rows) {
    const mine = ours.rows.get(k);
    if (mine === undefined) out.push(`${query}: missing ${k} (Prometheus: ${v})`);
    else if (!close(v, mine)) out.push(`${query}: ${k} = ${mine}, Prometheus ${v}`);
  }
  for (const k of ours.rows.keys()) if (!theirs.rows.has(k)) out.push(`${query}: extra ${k}`);
  return out;
}

describe.skipIf(missing)('PromQL conformance with a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promql-conformance-'));
  let prometheus: Started;
  let promUrl: string;
  const fixture = storeWith(series);
  const builtin = new PromQLQueries(fixture.query, () => end);

  beforeAll(async () => {
    writeFileSync(join(dir, 'data.om'), openMetrics(series));
    const backfill = spawnSync(
      promtoolBin!,
      ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'data.om'), join(dir, 'tsdb')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (backfill.status !== 0)
      throw new Error(`promtool backfill failed: ${backfill.stderr}${backfill.stdout}`);
    writeFileSync(join(dir, 'rules.yml'), toRuleFile(RULES));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  evaluation_interval: 1s\nrule_files:\n  - ${join(dir, 'rules.yml')}\n`,
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = startProcess(prometheusBin!, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await waitFor(`Prometheus ready\n${prometheus.output()}`, 60_000, async () =>
      (await fetch(`${promUrl}/-/ready`)).ok ? true : undefined,
    );
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const prom = async (query: string, atMs: number): Promise<Result> => {
    const params = new URLSearchParams({ query, time: String(atMs / 1000) });
    const body = (await (await fetch(`${promUrl}/api/v1/query?${params}`)).json()) as {
      status: string;
      error?: string;
      data: { resultType: string; result: unknown };
    };
    if (body.status !== 'success') throw new Error(`Prometheus refused ${query}: ${body.error}`);
    return toResult(body.data);
  };

  it('holds the backfilled samples', async () => {
    const count = await prom('count({__name__=~".+"})', end);
    expect(count.rows.get('{}')).toBe(series.length);
  });

  it('answers every query of the table as Prometheus does, at every instant', async () => {
    const problems: string[] = [];
    let compared = 0;
    for (const at of INSTANTS) {
      for (const query of QUERIES) {
        const theirs = await prom(query, at);
        const answer = builtin.instant(query, String(at / 1000));
        if (answer.status !== 200) {
          problems.push(
            `${query}: built-in refused: ${answer.body.status === 'error' ? answer.body.error : ''}`,
          );
          continue;
        }
        problems.push(...differences(query, theirs, toResult(answer.body.data)));
        compared += theirs.rows.size;
      }
    }
    expect(problems).toEqual([]);
    // The table is not vacuous: most queries return several series.
    expect(compared).toBeGreaterThan(QUERIES.length * INSTANTS.length * 3);
  }, 120_000);

  it('answers a range query as Prometheus does, point by point', async () => {
    const params = {
      query: ERROR_RATIO,
      start: String(INSTANTS[0]! / 1000),
      end: String(INSTANTS[2]! / 1000),
      step: '60',
    };
    const theirs = (await (
      await fetch(`${promUrl}/api/v1/query_range?${new URLSearchParams(params)}`)
    ).json()) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    const ours = builtin.range(params.query, params.start, params.end, params.step);
    expect(ours.status).toBe(200);
    if (ours.status !== 200 || ours.body.data.resultType !== 'matrix') return;
    const mine = new Map(ours.body.data.result.map((s) => [labelKey(s.metric), s.values]));
    expect([...mine.keys()].sort()).toEqual(theirs.data.result.map((s) => labelKey(s.metric)).sort());
    for (const s of theirs.data.result) {
      const values = mine.get(labelKey(s.metric))!;
      expect(values.map((v) => v[0])).toEqual(s.values.map((v) => v[0]));
      s.values.forEach(([, v], i) => {
        expect(close(Number(v), Number(values[i]![1])), `${v} vs ${values[i]![1]}`).toBe(true);
      });
    }
  });

  it('holds the same alerts as Prometheus evaluating the same rule file', async () => {
    const { specs, problems } = parseRuleFile(parse(readFileSync(join(dir, 'rules.yml'), 'utf8')));
    expect(problems).toEqual([]);
    type PromAlert = {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      state: string;
      activeAt: string;
      value: string;
    };
    type PromRule = { name: string; lastEvaluation: string; alerts: PromAlert[] };
    // Every rule evaluated, read twice in a row alike: no evaluation ran between the reads, so
    // each rule's alerts belong to its evaluation time.
    const snapshot = async () =>
      (
        (await (await fetch(`${promUrl}/api/v1/rules?type=alert`)).json()) as {
          data: { groups: Array<{ rules: PromRule[] }> };
        }
      ).data.groups.flatMap((g) => g.rules);
    const rules = await waitFor('Prometheus to evaluate the rules', 60_000, async () => {
      const all = await snapshot();
      const evaluated = all.filter((r) => !r.lastEvaluation.startsWith('0001-'));
      if (all.length !== specs.length || evaluated.length !== all.length) return undefined;
      return JSON.stringify(await snapshot()) === JSON.stringify(all) ? all : undefined;
    });
    // The rules API tells when each rule's evaluation started by the wall clock; the instant its
    // queries ran is the group's tick before that, on a 1 s grid whose offset the samples of the
    // ALERTS series it writes give away.
    const stamps = await waitFor('the ALERTS series', 30_000, async () => {
      const r = await prom('timestamp(ALERTS)', Date.now());
      return r.rows.size > 0 ? r : undefined;
    });
    const offset = Math.round([...stamps.rows.values()][0]! * 1000) % 1000;
    const tick = (wallMs: number) => Math.floor((wallMs - offset) / 1000) * 1000 + offset;
    const evaluator = new LocalExprEvaluator(fixture.query);
    const mismatches: string[] = [];
    let alerts = 0;
    specs.forEach((s, i) => {
      const theirs = rules.find((r) => r.name === s.name)!;
      const compiled = compileRule({ ...s, id: `rul_c${i}`, builtin: false, createdAt: '', updatedAt: '' });
      const at = tick(goTimeMs(theirs.lastEvaluation));
      const tracker = new AlertTracker({ resolvedRetentionMs: 60_000 });
      // The condition held from Prometheus' first alert on: evaluated then, and at its last evaluation.
      const first = Math.min(at, ...theirs.alerts.map((a) => tick(goTimeMs(a.activeAt))));
      if (first < at) tracker.apply(compiled, evaluator.evaluateSync(compiled, first), first);
      tracker.apply(compiled, evaluator.evaluateSync(compiled, at), at);
      const ours = new Map(tracker.all().map((a) => [labelKey(a.labels), a]));
      for (const a of theirs.alerts) {
        alerts++;
        const mine = ours.get(labelKey(a.labels));
        ours.delete(labelKey(a.labels));
        if (!mine) {
          mismatches.push(`${s.name}: missing ${labelKey(a.labels)}`);
          continue;
        }
        if (mine.state !== a.state)
          mismatches.push(`${s.name} ${labelKey(a.labels)}: ${mine.state}, Prometheus ${a.state}`);
        if (!close(Number(a.value), mine.value))
          mismatches.push(`${s.name} ${labelKey(a.labels)}: value ${mine.value}, Prometheus ${a.value}`);
        // Texts must be equal; a bare `{{ $value }}` may differ in its last digit (summation order).
        const same = (x: string | undefined, y: string) =>
          x === y ||
          (x !== undefined && y.trim() !== '' && Number.isFinite(Number(y)) && close(Number(x), Number(y)));
        for (const [k, v] of Object.entries(a.annotations))
          if (!same(mine.annotations[k], v))
            mismatches.push(`${s.name} ${k}: "${mine.annotations[k]}", Prometheus "${v}"`);
      }
      for (const k of ours.keys()) mismatches.push(`${s.name}: extra ${k}`);
    });
    expect(mismatches).toEqual([]);
    // The data makes several rules fire or wait: the comparison is not vacuous.
    expect(alerts).toBeGreaterThan(8);
    const states = new Set(rules.flatMap((r) => r.alerts.map((a) => a.state)));
    expect([...states].sort()).toEqual(['firing', 'pending']);
  }, 90_000);
});

/** Milliseconds of a Go RFC 3339 time with nanoseconds, truncated as Prometheus' engine does. */
function goTimeMs(text: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) throw new Error(`not a time: ${text}`);
  return Date.parse(`${m[1]}${m[3]}`) + Number((m[2] ?? '').padEnd(3, '0').slice(0, 3));
}
