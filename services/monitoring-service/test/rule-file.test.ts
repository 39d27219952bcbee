import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildHarness, type Harness } from './helpers/harness.js';

/** Prometheus rule files in and out: POST /rules/import (YAML or JSON) and GET /rules/export. */
let h: Harness;
let operator: string;

beforeAll(async () => {
  h = await buildHarness({ services: { 'api-service': ['http://127.0.0.1:9'] } });
  operator = await h.token(['operator']);
});
afterAll(() => h?.close());

const RULE_FILE = `groups:
  - name: api
    interval: 30s
    rules:
      - alert: ApiErrors
        expr: |
          sum by (service) (rate(http_requests_total{status_code=~"5.."}[5m]))
            / sum by (service) (rate(http_requests_total[5m])) > 0.02
        for: 5m
        keep_firing_for: 10m
        labels:
          severity: critical
          team: api
        annotations:
          summary: "{{ $labels.service }} fails {{ humanizePercentage $value }}"
      - alert: ApiDown
        expr: absent(up{service="api-service"})
`;

const send = (payload: string | object, type = 'application/yaml') =>
  h.app.inject({
    method: 'POST',
    url: '/rules/import',
    headers: { authorization: `Bearer ${operator}`, 'content-type': type },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

describe('rule files', () => {
  it('imports a Prometheus rule file, then replaces the same rules on a second import', async () => {
    const first = await send(RULE_FILE);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ created: 2, replaced: 0 });
    const errors = first.json().rules.find((r: { name: string }) => r.name === 'ApiErrors');
    expect(errors).toMatchObject({
      severity: 'critical',
      for: '5m',
      keepFiringFor: '10m',
      labels: { team: 'api' },
      threshold: { op: '>', value: 0.02 },
    });
    const again = await send(parse(RULE_FILE), 'application/json');
    expect(again.json()).toMatchObject({ created: 0, replaced: 2 });
    const list = await h.app.inject({
      method: 'GET',
      url: '/rules',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(list.json().rules.filter((r: { name: string }) => r.name.startsWith('Api'))).toHaveLength(2);
  });

  it('exports every enabled rule as a rule file Prometheus loads', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/rules/export',
      headers: { authorization: `Bearer ${operator}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    const file = parse(res.body);
    const rules = file.groups[0].rules as Array<Record<string, unknown>>;
    expect(rules.find((r) => r['alert'] === 'ServiceDown')).toEqual({
      alert: 'ServiceDown',
      expr: 'up == 0',
      for: '20s',
      labels: { severity: 'critical' },
      annotations: expect.objectContaining({ summary: '{{ $labels.service }} is down' }),
    });
    expect(rules.find((r) => r['alert'] === 'ApiErrors')).toMatchObject({
      keep_firing_for: '10m',
      labels: { severity: 'critical', team: 'api' },
    });
    const promtool = findBinary('promtool');
    if (!promtool) return;
    const dir = mkdtempSync(join(tmpdir(), 'rule-export-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), res.body);
      const check = spawnSync(promtool, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a rule file that is not UTF-8, or declared in another charset, instead of storing U+FFFD', async () => {
    const latin1 = Buffer.from(
      RULE_FILE.replace('{{ $labels.service }} fails', 'échec de {{ $labels.service }}'),
      'latin1',
    );
    const res = await h.app.inject({
      method: 'POST',
      url: '/rules/import',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/yaml' },
      payload: latin1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_UTF8' });
    expect(res.json().detail).toMatch(new RegExp(`offset ${latin1.indexOf(0xe9)}\\b`));
    const declared = await send(RULE_FILE, 'application/yaml; charset=windows-1252');
    expect(declared.statusCode).toBe(415);
    expect(declared.json()).toMatchObject({ code: 'UNSUPPORTED_CHARSET' });
  });

  it('refuses a bad file whole, naming each problem by its place', async () => {
    const before = (
      await h.app.inject({ method: 'GET', url: '/rules', headers: { authorization: `Bearer ${operator}` } })
    ).json().rules.length;
    const res = await send(
      [
        'groups:',
        '  - name: g',
        '    rules:',
        '      - alert: Fine',
        '        expr: up == 0',
        '      - record: job:up:sum',
        '        expr: sum(up)',
        '      - alert: Predict',
        '        expr: predict_linear(disk[1h], 3600) < 0',
        '      - alert: Loud',
        '        expr: up == 0',
        '        labels: { severity: page }',
      ].join('\n'),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MONITORING_INVALID_RULE');
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        '/groups/0/rules/1/record',
        '/groups/0/rules/3/labels/severity',
        '/rules/1(Predict)/expr',
      ]),
    );
    const after = (
      await h.app.inject({ method: 'GET', url: '/rules', headers: { authorization: `Bearer ${operator}` } })
    ).json().rules.length;
    expect(after).toBe(before);
    const notYaml = await send('groups: [unclosed');
    expect(notYaml.statusCode).toBe(400);
    expect(notYaml.json().detail).toMatch(/not valid YAML/);
    // Nested past what the parser's recursion takes: said as nesting, not as a call stack.
    const deep = await send(`groups: ${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(deep.statusCode).toBe(400);
    expect(deep.json().detail).toMatch(/not valid YAML: it is nested too deeply/);
    expect((await send({ rules: [] }, 'application/json')).json().errors[0].field).toBe('/groups');
    expect((await send('x', 'text/csv')).statusCode).toBe(415);
  });

  it('never repeats a name or value of the file that is not name-like, however big', async () => {
    const junk = `<img src=x onerror=alert(1)>${'x'.repeat(100_000)}`;
    const q = JSON.stringify(junk);
    // YAML takes keys of up to 1,024 characters.
    const key = JSON.stringify(junk.slice(0, 1_000));
    const res = await send(
      [
        'groups:',
        '  - name: g',
        '    rules:',
        `      - alert: ${q}`,
        '        expr: up == 0',
        `        for: ${q}`,
        `        ${key}: 1`,
        '        labels:',
        `          ${key}: [1]`,
        '        annotations:',
        `          summary: ${JSON.stringify(`{{ ${junk} }}`)}`,
        '          description: "{{ $labels.a.b }} {{ $nope }}"',
      ].join('\n'),
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('<img');
    expect(res.body).not.toContain('x'.repeat(50));
    expect(res.body.length, res.body.slice(0, 300)).toBeLessThan(3_000);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['/groups/0/rules/0/*', '/groups/0/rules/0/labels/*', '/rules/0(*)/for']),
    );
    // A label key of the JSON API likewise.
    const api = await h.app.inject({
      method: 'POST',
      url: '/rules',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      payload: { name: 'Fine', expr: 'up == 0', labels: { [junk]: 'v' } },
    });
    expect(api.statusCode).toBe(400);
    expect(api.body).not.toContain('<img');
    expect(api.body.length).toBeLessThan(3_000);
  });
});
