import {
  HttpSdResponseSchema,
  PromApiResponseSchema,
  PromQueryQuerySchema,
  PromQueryRangeQuerySchema,
  problemResponses,
} from '@opsmesh/contracts';
import { type Discovery, formBodyParser, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { errors } from '../errors.js';
import { type PrometheusClient, PrometheusError } from '../services/prometheus/prometheus-client.js';
import type { PromQLQueries } from '../services/promql/query-service.js';
import { discoverTargets } from '../services/scraping/scraper.js';
import { machineOrPermission } from './machine-auth.js';
import { presentHttpSd } from './presenters.js';

export interface PrometheusRoutesOptions {
  prometheus: PrometheusClient | null;
  /** The built-in engine, which answers when no Prometheus is configured. */
  queries: PromQLQueries;
  discovery: Discovery;
  machineToken: string | undefined;
}

export async function prometheusRoutes(app: ServiceApp, opts: PrometheusRoutesOptions): Promise<void> {
  const common = { tags: ['prometheus'], security: [{ bearer: [] }] };
  const passthrough = async (
    path: 'query' | 'query_range',
    params: Record<string, string>,
    reply: { code(n: number): unknown },
  ) => {
    if (!opts.prometheus) throw errors.MONITORING_PROMETHEUS_DISABLED({});
    let result: Awaited<ReturnType<PrometheusClient['api']>>;
    try {
      result = await opts.prometheus.api(path, params);
    } catch (err) {
      if (err instanceof PrometheusError) throw errors.MONITORING_PROMETHEUS_UNAVAILABLE({}, { cause: err });
      throw err;
    }
    // Prometheus' own answer goes through unchanged, status included: its clients expect it.
    if (result.status >= 500) throw errors.MONITORING_PROMETHEUS_UNAVAILABLE({});
    reply.code(result.status);
    return result.body;
  };

  // Prometheus clients post long queries as forms; the parser lives in this plugin's scope.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, formBodyParser);
  const responses = {
    200: PromApiResponseSchema,
    400: PromApiResponseSchema,
    422: PromApiResponseSchema,
    ...problemResponses(401, 403, 415, 503),
  };
  const instant = async (
    q: { query: string; time?: string | undefined },
    reply: { code(n: number): unknown },
  ) => {
    if (opts.prometheus) {
      const params: Record<string, string> = { query: q.query };
      if (q.time) params['time'] = q.time;
      return passthrough('query', params, reply);
    }
    const answer = opts.queries.instant(q.query, q.time);
    reply.code(answer.status);
    return answer.body;
  };
  const range = async (
    q: { query: string; start: string; end: string; step: string },
    reply: { code(n: number): unknown },
  ) => {
    if (opts.prometheus) return passthrough('query_range', { ...q }, reply);
    const answer = opts.queries.range(q.query, q.start, q.end, q.step);
    reply.code(answer.status);
    return answer.body;
  };
  const read = requirePermission('monitoring:read');
  const form = ['application/x-www-form-urlencoded'];
  const instantSummary =
    'PromQL instant query: Prometheus when PROMETHEUS_URL is set, else the built-in engine (Prometheus API format)';
  const rangeSummary =
    'PromQL range query: Prometheus when PROMETHEUS_URL is set, else the built-in engine (Prometheus API format)';

  app.get(
    '/query',
    {
      onRequest: read,
      schema: { ...common, summary: instantSummary, querystring: PromQueryQuerySchema, response: responses },
    },
    async (request, reply) => instant(request.query, reply),
  );
  app.post(
    '/query',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: instantSummary,
        consumes: form,
        body: PromQueryQuerySchema,
        response: responses,
      },
    },
    async (request, reply) => instant(request.body, reply),
  );
  app.get(
    '/query_range',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: rangeSummary,
        querystring: PromQueryRangeQuerySchema,
        response: responses,
      },
    },
    async (request, reply) => range(request.query, reply),
  );
  app.post(
    '/query_range',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: rangeSummary,
        consumes: form,
        body: PromQueryRangeQuerySchema,
        response: responses,
      },
    },
    async (request, reply) => range(request.body, reply),
  );
  app.get(
    '/prometheus/targets',
    {
      onRequest: machineOrPermission(opts.machineToken, 'monitoring:read'),
      schema: {
        ...common,
        summary: 'Prometheus HTTP service discovery: every instance of every service, labelled by service',
        response: { 200: HttpSdResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async () => presentHttpSd(await discoverTargets(opts.discovery)),
  );
}
