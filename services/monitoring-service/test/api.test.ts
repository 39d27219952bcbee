import { createTestIdentity, runAuthMatrix } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHarness, type Harness } from './helpers/harness.js';

let h: Harness;
let viewer: string;
let operator: string;

beforeAll(async () => {
  h = await buildHarness({ services: { 'auth-service': ['http://127.0.0.1:1'] } });
  viewer = await h.token(['viewer']);
  operator = await h.token(['operator']);
});
afterAll(async () => {
  await h?.close();
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every protected route, with the permission it needs and a request that passes validation. */
const ROUTES: Array<{
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  permission: string;
  payload?: unknown;
}> = [
  { method: 'GET', url: '/signals', permission: 'monitoring:read' },
  { method: 'GET', url: '/signals/auth-service/latency_p99', permission: 'monitoring:read' },
  { method: 'GET', url: '/services', permission: 'monitoring:read' },
  { method: 'GET', url: '/series?match=up', permission: 'monitoring:read' },
  { method: 'GET', url: '/rules', permission: 'monitoring:read' },
  { method: 'GET', url: '/rules/rul_builtinServiceDown', permission: 'monitoring:read' },
  {
    method: 'POST',
    url: '/rules',
    permission: 'alerts:write',
    payload: {
      name: 'X',
      expr: { kind: 'series', selector: 'up', function: 'value' },
      op: '==',
      threshold: 0,
    },
  },
  {
    method: 'PUT',
    url: '/rules/rul_doesnotexist',
    permission: 'alerts:write',
    payload: {
      name: 'X',
      expr: { kind: 'series', selector: 'up', function: 'value' },
      op: '==',
      threshold: 0,
    },
  },
  { method: 'DELETE', url: '/rules/rul_doesnotexist', permission: 'alerts:write' },
  { method: 'GET', url: '/rules/export', permission: 'monitoring:read' },
  { method: 'POST', url: '/rules/import', permission: 'alerts:write', payload: { groups: [] } },
  { method: 'GET', url: '/alerts', permission: 'monitoring:read' },
  { method: 'GET', url: '/alerts/history', permission: 'monitoring:read' },
  { method: 'POST', url: '/alerts/0123456789abcdef/ack', permission: 'alerts:ack', payload: {} },
  { method: 'GET', url: '/silences', permission: 'monitoring:read' },
  {
    method: 'POST',
    url: '/silences',
    permission: 'alerts:silence',
    payload: { matchers: ['alertname="X"'], duration: '1h', comment: 'c' },
  },
  {
    method: 'PUT',
    url: '/silences/sil_doesnotexist',
    permission: 'alerts:silence',
    payload: { matchers: ['alertname="X"'], duration: '1h', comment: 'c' },
  },
  { method: 'DELETE', url: '/silences/sil_doesnotexist', permission: 'alerts:silence' },
  { method: 'GET', url: '/query?query=up', permission: 'monitoring:read' },
  { method: 'GET', url: '/query_range?query=up&start=1&end=2&step=1', permission: 'monitoring:read' },
  { method: 'POST', url: '/query', permission: 'monitoring:read', payload: { query: 'up' } },
  {
    method: 'POST',
    url: '/query_range',
    permission: 'monitoring:read',
    payload: { query: 'up', start: '1', end: '2', step: '1' },
  },
  { method: 'GET', url: '/prometheus/targets', permission: 'monitoring:read' },
  { method: 'GET', url: '/notifications/receivers', permission: 'monitoring:read' },
  { method: 'GET', url: '/traces', permission: 'monitoring:read' },
  { method: 'GET', url: `/traces/${'ab'.repeat(16)}`, permission: 'monitoring:read' },
  {
    method: 'POST',
    url: '/alertmanager/webhook',
    permission: 'alerts:write',
    payload: {
      version: '4',
      groupKey: 'g',
      status: 'firing',
      receiver: 'r',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://am',
      alerts: [],
    },
  },
];

describe('auth matrix', () => {
  it.each(ROUTES)('$method $url needs a valid token and $permission', async (route) => {
    const send = (headers: Record<string, string>) =>
      h.app.inject({
        method: route.method,
        url: route.url,
        headers,
        ...(route.payload ? { payload: route.payload } : {}),
      });
    const none = await send({});
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await send({ authorization: 'Bearer not-a-jwt' })).statusCode).toBe(401);
    const expired = await h.identity.token({ roles: ['admin'], expiresIn: -60 });
    expect((await send(auth(expired))).statusCode).toBe(401);
    const foreign = await createTestIdentity();
    expect((await send(auth(await foreign.token({ roles: ['admin'] })))).statusCode).toBe(401);
    await foreign.close();
    const otherAudience = await createTestIdentity({ audience: 'someone-else' });
    // Same issuer and a different key and audience: refused either way.
    expect((await send(auth(await otherAudience.token({ roles: ['admin'] })))).statusCode).toBe(401);
    await otherAudience.close();
    const weak = route.permission === 'monitoring:read' ? await h.token(['service']) : viewer;
    const weakRes = await send(auth(weak));
    if (route.permission === 'monitoring:read') expect(weakRes.statusCode).not.toBe(403);
    else {
      expect(weakRes.statusCode).toBe(403);
      expect(weakRes.json().detail).toContain(route.permission);
    }
    const admin = await send(auth(await h.token(['admin'])));
    expect([401, 403]).not.toContain(admin.statusCode);
  });
});

describe('shared auth matrix', () => {
  it('checks credentials before parameters, query and body on every guarded route', async () => {
    const { checked, failures } = await runAuthMatrix({ app: h.app, token: (roles) => h.token(roles) });
    expect(checked.length).toBe(ROUTES.length);
    expect(failures).toEqual([]);
  });
});

describe('rules', () => {
  it('installs the default rule pack on first start', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/rules', headers: auth(viewer) });
    expect(res.statusCode).toBe(200);
    const names = res.json().rules.map((r: { name: string }) => r.name);
    for (const n of [
      'ServiceDown',
      'HighErrorRatio',
      'HighLatencyP99',
      'ErrorBudgetBurnFast',
      'ErrorBudgetBurnSlow',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('creates, reads, replaces and deletes a rule', async () => {
    const body = {
      name: 'LowTraffic',
      expr: 'sum by (service) (rate(http_requests_total{service="auth-service"}[10m])) < 0.1',
      for: '10m',
      keepFiringFor: '5m',
      severity: 'info',
      annotations: { summary: '{{ $labels.service }} gets {{ $value }} req/s' },
    };
    const created = await h.app.inject({
      method: 'POST',
      url: '/rules',
      headers: auth(operator),
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json();
    expect(rule.id).toMatch(/^rul_/);
    expect(rule).toMatchObject({
      name: 'LowTraffic',
      expr: body.expr,
      for: '10m',
      keepFiringFor: '5m',
      enabled: true,
      builtin: false,
      threshold: { op: '<', value: 0.1 },
    });
    const replaced = await h.app.inject({
      method: 'PUT',
      url: `/rules/${rule.id}`,
      headers: auth(operator),
      payload: { ...body, expr: body.expr.replace('0.1', '0.5') },
    });
    expect(replaced.json().threshold).toEqual({ op: '<', value: 0.5 });
    // Read, modify, write: the rule as read back (its derived threshold included) is a valid body.
    const { id, builtin, createdAt, updatedAt, ...readBack } = replaced.json();
    const rewritten = await h.app.inject({
      method: 'PUT',
      url: `/rules/${id}`,
      headers: auth(operator),
      payload: { ...readBack, for: '1m' },
    });
    expect(rewritten.statusCode, rewritten.body).toBe(200);
    expect(rewritten.json()).toMatchObject({ for: '1m', threshold: { op: '<', value: 0.5 } });
    // A changed threshold would say something the expression does not: refused, naming where to change it.
    const contradicting = await h.app.inject({
      method: 'PUT',
      url: `/rules/${id}`,
      headers: auth(operator),
      payload: { ...readBack, threshold: { op: '<', value: 0.9 } },
    });
    expect(contradicting.statusCode).toBe(400);
    expect(JSON.stringify(contradicting.json().errors)).toContain('change the comparison in expr');
    expect(
      (await h.app.inject({ method: 'DELETE', url: `/rules/${rule.id}`, headers: auth(operator) }))
        .statusCode,
    ).toBe(204);
    expect(
      (await h.app.inject({ method: 'GET', url: `/rules/${rule.id}`, headers: auth(viewer) })).statusCode,
    ).toBe(404);
  });

  it('takes a rule in the earlier object shape and stores it as the same PromQL', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/rules',
      headers: auth(operator),
      payload: {
        name: 'OldShape',
        expr: { kind: 'series', selector: 'up{service="auth-service"}', function: 'value' },
        op: '==',
        threshold: 0,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().expr).toBe('{__name__="up",service="auth-service"} == 0');
    await h.app.inject({ method: 'DELETE', url: `/rules/${created.json().id}`, headers: auth(operator) });
  });

  it('refuses PromQL the built-in engine does not run, naming the construct and the way out', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/rules',
      headers: auth(operator),
      payload: { name: 'DiskFull', expr: 'predict_linear(node_filesystem_free_bytes[1h], 4 * 3600) < 0' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().errors).toEqual([
      {
        field: '/expr',
        message:
          'PromQL function `predict_linear` is not supported by the built-in engine; set PROMETHEUS_URL to use Prometheus',
      },
    ]);
  });

  it.each([
    [
      'a bad regex in the selector',
      {
        name: 'Bad',
        expr: { kind: 'series', selector: 'up{a=~"("}', function: 'value' },
        op: '>',
        threshold: 1,
      },
      '/expr/selector',
    ],
    [
      'a bad for',
      {
        name: 'Bad',
        expr: { kind: 'series', selector: 'up', function: 'value' },
        op: '>',
        threshold: 1,
        for: '1m1h',
      },
      '/for',
    ],
    [
      'a bad template',
      {
        name: 'Bad',
        expr: { kind: 'series', selector: 'up', function: 'value' },
        op: '>',
        threshold: 1,
        annotations: { s: '{{ $x }}' },
      },
      '/annotations/s',
    ],
    [
      'a rate without a window',
      { name: 'Bad', expr: { kind: 'series', selector: 'up', function: 'rate' }, op: '>', threshold: 1 },
      '/expr/window',
    ],
  ])('refuses %s with 400 naming the field', async (_what, payload, field) => {
    const res = await h.app.inject({ method: 'POST', url: '/rules', headers: auth(operator), payload });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.code).toBe('MONITORING_INVALID_RULE');
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('refuses a rule of the wrong shape with 400 from the schema', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/rules',
      headers: auth(operator),
      payload: { name: 'Bad', expr: { kind: 'signal', signal: 'nope', window: '5m' }, op: '>', threshold: 1 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('silences', () => {
  it('creates, lists and expires a silence', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/silences',
      headers: auth(operator),
      payload: {
        matchers: ['alertname="ServiceDown"', 'service=~"auth-.*"'],
        duration: '2h',
        comment: 'deploy',
      },
    });
    expect(created.statusCode).toBe(201);
    const s = created.json();
    expect(s).toMatchObject({ state: 'active', comment: 'deploy' });
    expect(s.matchers).toEqual([
      { name: 'alertname', op: '=', value: 'ServiceDown' },
      { name: 'service', op: '=~', value: 'auth-.*' },
    ]);
    const active = await h.app.inject({
      method: 'GET',
      url: '/silences?state=active',
      headers: auth(viewer),
    });
    expect(active.json().silences.map((x: { id: string }) => x.id)).toContain(s.id);
    const expired = await h.app.inject({
      method: 'DELETE',
      url: `/silences/${s.id}`,
      headers: auth(operator),
    });
    expect(expired.json().state).toBe('expired');
  });

  it('expires a silence on a DELETE labelled application/json with no body, as many clients send it', async () => {
    const json = { ...auth(operator), 'content-type': 'application/json' };
    const created = await h.app.inject({
      method: 'POST',
      url: '/silences',
      headers: json,
      payload: { matchers: ['alertname="ServiceDown"'], duration: '1h', comment: 'empty delete' },
    });
    expect(created.statusCode).toBe(201);
    const expired = await h.app.inject({
      method: 'DELETE',
      url: `/silences/${created.json().id}`,
      headers: json,
      payload: '',
    });
    expect(expired.statusCode, expired.body).toBe(200);
    expect(expired.json().state).toBe('expired');
    // A route that takes a body still says it needs one.
    const empty = await h.app.inject({ method: 'POST', url: '/silences', headers: json, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/body is empty .*send a JSON document/);
  });

  it('edits a silence that has not ended, keeping its start, and refuses to edit an expired one', async () => {
    const put = (id: string, payload: object) =>
      h.app.inject({ method: 'PUT', url: `/silences/${id}`, headers: auth(operator), payload });
    const created = await h.app.inject({
      method: 'POST',
      url: '/silences',
      headers: auth(operator),
      payload: { matchers: ['alertname="HighLatencyP99"'], duration: '1h', comment: 'first look' },
    });
    const s = created.json();
    const edited = await put(s.id, {
      matchers: ['alertname="HighLatencyP99"', 'service="ml-service"'],
      duration: '3h',
      comment: 'narrowed to ml',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      id: s.id,
      startsAt: s.startsAt,
      comment: 'narrowed to ml',
      state: 'active',
    });
    expect(Date.parse(edited.json().endsAt) - Date.parse(s.startsAt)).toBe(3 * 3_600_000);
    expect(edited.json().matchers).toHaveLength(2);

    const bad = await put(s.id, { matchers: ['service=~".*"'], duration: '1h', comment: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('/matchers');

    await h.app.inject({ method: 'DELETE', url: `/silences/${s.id}`, headers: auth(operator) });
    const late = await put(s.id, { matchers: ['alertname="X"'], duration: '1h', comment: 'too late' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      code: 'MONITORING_SILENCE_EXPIRED',
      detail: expect.stringContaining('POST /silences'),
    });
    expect(
      (await put('sil_doesnotexist', { matchers: ['a="b"'], duration: '1h', comment: 'x' })).statusCode,
    ).toBe(404);
  });

  it.each([
    ['a bad matcher', { matchers: ['alertname'], duration: '1h', comment: 'x' }, '/matchers/0'],
    ['a bad regex', { matchers: ['service=~"("'], duration: '1h', comment: 'x' }, '/matchers/0'],
    [
      'a matcher set matching everything',
      { matchers: ['service=~".*"'], duration: '1h', comment: 'x' },
      '/matchers',
    ],
    ['no end', { matchers: ['a="b"'], comment: 'x' }, '/endsAt'],
    ['an end in the past', { matchers: ['a="b"'], endsAt: '2001-01-01T00:00:00Z', comment: 'x' }, '/endsAt'],
  ])('refuses %s with 400 naming the field', async (_what, payload, field) => {
    const res = await h.app.inject({ method: 'POST', url: '/silences', headers: auth(operator), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MONITORING_INVALID_SILENCE');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe('silences, bounded', () => {
  let small: Harness;
  beforeAll(async () => {
    small = await buildHarness({
      services: { 'auth-service': ['http://127.0.0.1:1'] },
      env: { SILENCES_MAX: '3' },
    });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('refuses a silence past SILENCES_MAX with 409 saying what to do, and takes one again once one is expired', async () => {
    const op = await small.token(['operator']);
    const create = (n: number) =>
      small.app.inject({
        method: 'POST',
        url: '/silences',
        headers: auth(op),
        payload: { matchers: [`alertname="A${n}"`], duration: '1h', comment: `n${n}` },
      });
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await create(n);
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const over = await create(4);
    expect(over.statusCode).toBe(409);
    expect(over.headers['content-type']).toMatch(/problem\+json/);
    expect(over.json()).toMatchObject({
      code: 'MONITORING_TOO_MANY_SILENCES',
      detail: expect.stringMatching(/^3 silences are pending or active.*SILENCES_MAX.*expire some/),
    });
    await small.app.inject({ method: 'DELETE', url: `/silences/${ids[0]}`, headers: auth(op) });
    expect((await create(5)).statusCode).toBe(201);
    const listed = await small.app.inject({
      method: 'GET',
      url: '/silences?state=active',
      headers: auth(op),
    });
    expect(
      listed
        .json()
        .silences.map((x: { comment: string }) => x.comment)
        .sort(),
    ).toEqual(['n2', 'n3', 'n5']);
  });

  it('answers silences a page at a time, newest first, with x-total-count and x-next-offset', async () => {
    const op = await small.token(['operator']);
    const get = (q: string) => small.app.inject({ method: 'GET', url: `/silences${q}`, headers: auth(op) });
    // Three in force and one expired (n1), from the case above.
    const all = await get('');
    expect(all.headers['x-total-count']).toBe('4');
    expect(all.headers['x-next-offset']).toBeUndefined();
    const first = await get('?limit=3');
    expect(first.json().silences.map((x: { comment: string }) => x.comment)).toEqual(['n5', 'n3', 'n2']);
    expect(first.headers['x-total-count']).toBe('4');
    expect(first.headers['x-next-offset']).toBe('3');
    const second = await get('?limit=3&offset=3');
    expect(second.json().silences.map((x: { comment: string }) => x.comment)).toEqual(['n1']);
    expect(second.headers['x-next-offset']).toBeUndefined();
    const expired = await get('?state=expired&limit=1');
    expect(expired.headers['x-total-count']).toBe('1');
    expect(expired.json().silences[0].state).toBe('expired');
    const active = await get('?state=active&limit=2');
    expect(active.headers['x-total-count']).toBe('3');
    expect(active.headers['x-next-offset']).toBe('2');
    for (const bad of ['?limit=0', '?limit=1001', '?offset=-1', '?limit=ten']) {
      const res = await get(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});

describe('rules, bounded', () => {
  let small: Harness;
  beforeAll(async () => {
    small = await buildHarness({
      services: { 'auth-service': ['http://127.0.0.1:1'] },
      env: { RULES_MAX: '20' },
    });
  });
  afterAll(async () => {
    await small?.close();
  });

  it('refuses a rule or a rule file past RULES_MAX with 409, and still takes a file that only replaces', async () => {
    const op = await small.token(['operator']);
    const builtins = (await small.app.inject({ method: 'GET', url: '/rules', headers: auth(op) })).json()
      .rules.length;
    expect(builtins).toBeLessThan(20);
    const rule = (n: number) => ({
      name: `Low${n}`,
      expr: `sum(rate(http_requests_total{route="/r${n}"}[5m])) < 1`,
    });
    for (let n = builtins; n < 20; n++) {
      const res = await small.app.inject({
        method: 'POST',
        url: '/rules',
        headers: auth(op),
        payload: rule(n),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const over = await small.app.inject({
      method: 'POST',
      url: '/rules',
      headers: auth(op),
      payload: rule(99),
    });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({
      code: 'MONITORING_TOO_MANY_RULES',
      detail: expect.stringMatching(/at most 20 alert rules \(RULES_MAX\)/),
    });
    const file = (names: string[]) =>
      small.app.inject({
        method: 'POST',
        url: '/rules/import',
        headers: { ...auth(op), 'content-type': 'application/json' },
        payload: JSON.stringify({
          groups: [{ name: 'g', rules: names.map((alert) => ({ alert, expr: 'up == 0' })) }],
        }),
      });
    expect((await file(['Brand', 'New'])).statusCode).toBe(409);
    const replacing = await file([`Low${builtins}`]);
    expect(replacing.statusCode, replacing.body).toBe(200);
    expect(replacing.json()).toMatchObject({ created: 0, replaced: 1 });
  });
});

describe('queries', () => {
  it('refuses a bad selector with 400', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/series?match=up%7Ba%3D~%22(%22%7D',
      headers: auth(viewer),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MONITORING_INVALID_SELECTOR');
  });
  it('refuses a bad duration with 400', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/signals?window=5m1h', headers: auth(viewer) });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('MONITORING_INVALID_DURATION');
  });
  it('answers 404 for an unknown service and 400 for an unknown signal', async () => {
    const unknown = await h.app.inject({
      method: 'GET',
      url: '/signals/nope/latency_p99',
      headers: auth(viewer),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('MONITORING_UNKNOWN_SERVICE');
    expect(
      (await h.app.inject({ method: 'GET', url: '/signals/auth-service/latency', headers: auth(viewer) }))
        .statusCode,
    ).toBe(400);
  });
  it('answers PromQL from the built-in engine without PROMETHEUS_URL', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/query?query=up', headers: auth(viewer) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'success', data: { resultType: 'vector' } });
  });
  it('serves the HTTP SD document', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/prometheus/targets', headers: auth(viewer) });
    expect(res.json()).toEqual([
      {
        targets: ['127.0.0.1:1'],
        labels: { service: 'auth-service', __scheme__: 'http', __metrics_path__: '/metrics' },
      },
    ]);
  });
});

describe('Alertmanager webhook', () => {
  it('takes alerts with the same labels twice in one webhook as one alert, the last word winning', async () => {
    const admin = await h.token(['admin']);
    const labels = { alertname: 'TwiceInOneWebhook', service: 'x' };
    const res = await h.app.inject({
      method: 'POST',
      url: '/alertmanager/webhook',
      headers: auth(admin),
      payload: {
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'r',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://am',
        alerts: [
          { status: 'firing', labels, startsAt: '' },
          { status: 'resolved', labels, startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T00:05:00Z' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 1 });
    const list = await h.app.inject({ method: 'GET', url: '/alerts', headers: auth(admin) });
    const mine = list
      .json()
      .alerts.filter(
        (a: { labels: Record<string, string> }) => a.labels['alertname'] === 'TwiceInOneWebhook',
      );
    expect(mine.map((a: { state: string }) => a.state)).not.toContain('firing');
  });
});
