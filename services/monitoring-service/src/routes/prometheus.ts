import {
  HttpSdResponseSchema,
  PromApiResponseSchema,
  PromQueryQuerySchema,
  PromQueryRangeQuerySchema,
  problemResponses,
} from '@opsmesh/contracts';
import { type Discovery, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { errors } from '../errors.js';
import { type PrometheusClient, PrometheusError } from '../services/prometheus/prometheus-client.js';
import { discoverTargets } from '../services/scraping/scraper.js';
import { machineOrPermission } from './machine-auth.js';
import { presentHttpSd } from './presenters.js';

export interface PrometheusRoutesOptions {
  prometheus: PrometheusClient | null;
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

  app.get(
    '/query',
    {
      onRequest: requirePermission('monitoring:read'),
      schema: {
        ...common,
        summary: 'PromQL instant query, passed through to Prometheus (needs PROMETHEUS_URL)',
        querystring: PromQueryQuerySchema,
        response: {
          200: PromApiResponseSchema,
          400: PromApiResponseSchema,
          422: PromApiResponseSchema,
          ...problemResponses(401, 403, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const params: Record<string, string> = { query: request.query.query };
      if (request.query.time) params['time'] = request.query.time;
      return passthrough('query', params, reply);
    },
  );
  app.get(
    '/query_range',
    {
      onRequest: requirePermission('monitoring:read'),
      schema: {
        ...common,
        summary: 'PromQL range query, passed through to Prometheus (needs PROMETHEUS_URL)',
        querystring: PromQueryRangeQuerySchema,
        response: {
          200: PromApiResponseSchema,
          400: PromApiResponseSchema,
          422: PromApiResponseSchema,
          ...problemResponses(401, 403, 409, 503),
        },
      },
    },
    async (request, reply) => passthrough('query_range', { ...request.query }, reply),
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
