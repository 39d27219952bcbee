import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestExposition } from '../src/services/metrics/ingest.js';
import { buildHarness, type Harness, testClock } from './helpers/harness.js';

/**
 * `/query` and `/query_range` without PROMETHEUS_URL: the built-in engine answers over the
 * scraped store, in Prometheus' HTTP API format (GET and form POST), errors included.
 */
const clock = testClock();
let h: Harness;
let viewer: string;

beforeAll(async () => {
  h = await buildHarness({ services: { 'api-service': ['http://127.0.0.1:9'] }, now: clock.now });
  viewer = await h.token(['viewer']);
  for (let i = 1; i <= 20; i++) {
    clock.advance(15_000);
    ingestExposition(
      h.runtime.store,
      'api',
      { service: 'api-service', instance: '127.0.0.1:9' },
      [
        `http_requests_total{route="/x",status_code="200"} ${90 * i}`,
        `http_requests_total{route="/x",status_code="500"} ${10 * i}`,
        'tiny 0.0000001',
      ].join('\n'),
      clock.now(),
      [['up', 1]],
    );
  }
});
afterAll(() => h?.close());

const headers = () => ({ authorization: `Bearer ${viewer}` });
const get = (path: string, params: Record<string, string>) =>
  h.app.inject({ method: 'GET', url: `${path}?${new URLSearchParams(params)}`, headers: headers() });
const post = (path: string, params: Record<string, string>) =>
  h.app.inject({
    method: 'POST',
    url: path,
    headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(params).toString(),
  });
const now = () => clock.now() / 1000;

describe('/query from the built-in engine', () => {
  it('answers an instant vector in the Prometheus format, by GET and by form POST', async () => {
    const query =
      'sum by (service) (rate(http_requests_total{status_code=~"5.."}[1m])) / sum by (service) (rate(http_requests_total[1m]))';
    for (const send of [get, post]) {
      const res = await send('/query', { query, time: String(now()) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: { service: 'api-service' } }] },
      });
      expect(body.data.result).toHaveLength(1);
      expect(body.data.result[0].value[0]).toBe(now());
      expect(Number(body.data.result[0].value[1])).toBeCloseTo(0.1, 12);
    }
  });

  it('refuses a form whose escapes are not UTF-8, naming the field, instead of querying U+FFFD', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/query',
      headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'query=up%7Bservice%3D%22a%FF%22%7D',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/form field \\?"query\\?" has percent-escapes that do not decode to UTF-8/);
  });

  it('answers scalars, raw range vectors, and values without exponents', async () => {
    expect((await get('/query', { query: '1 + 1', time: '1700000000' })).json().data).toEqual({
      resultType: 'scalar',
      result: [1_700_000_000, '2'],
    });
    const range = (
      await get('/query', { query: 'up[30s]', time: new Date(clock.now()).toISOString() })
    ).json();
    expect(range.data.resultType).toBe('matrix');
    expect(range.data.result[0].values).toEqual([
      [now() - 15, '1'],
      [now(), '1'],
    ]);
    expect((await get('/query', { query: 'tiny' })).json().data.result[0].value[1]).toBe('0.0000001');
  });

  it('answers a range query as a matrix, one point per step', async () => {
    const res = await post('/query_range', {
      query: 'sum(rate(http_requests_total[1m]))',
      start: String(now() - 60),
      end: String(now()),
      step: '30s',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          values: [
            [now() - 60, '6.666666666666667'],
            [now() - 30, '6.666666666666667'],
            [now(), '6.666666666666667'],
          ],
        },
      ],
    });
  });

  it("answers bad input with Prometheus' error format naming the problem", async () => {
    const cases: Array<[string, Record<string, string>, number, string, RegExp]> = [
      ['/query', { query: 'up{' }, 400, 'bad_data', /unexpected/],
      [
        '/query',
        { query: 'predict_linear(up[5m], 60)' },
        400,
        'bad_data',
        /`predict_linear` is not supported/,
      ],
      ['/query', { query: 'up', time: 'yesterday' }, 400, 'bad_data', /invalid parameter "time"/],
      [
        '/query',
        { query: 'http_requests_total / on(service) http_requests_total' },
        422,
        'execution',
        /many-to-many/,
      ],
      ['/query_range', { query: 'up[5m]', start: '1', end: '2', step: '1' }, 400, 'bad_data', /range query/],
      ['/query_range', { query: 'up', start: '2', end: '1', step: '1' }, 400, 'bad_data', /before start/],
      [
        '/query_range',
        { query: 'up', start: '0', end: '100000', step: '1' },
        400,
        'bad_data',
        /maximum resolution/,
      ],
      ['/query_range', { query: 'up', start: '0', end: '1', step: '-1' }, 400, 'bad_data', /step/],
    ];
    for (const [path, params, status, errorType, message] of cases) {
      const res = await get(path, params);
      expect(res.statusCode, `${path} ${JSON.stringify(params)}`).toBe(status);
      expect(res.json()).toMatchObject({ status: 'error', errorType });
      expect(res.json().error).toMatch(message);
    }
  });

  it('refuses a form with a missing query and a JSON body, as problem details', async () => {
    const missing = await post('/query_range', { query: 'up' });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
    const json = await h.app.inject({
      method: 'POST',
      url: '/query',
      headers: headers(),
      payload: { query: 'up' },
    });
    expect(json.statusCode).toBe(415);
  });
});
