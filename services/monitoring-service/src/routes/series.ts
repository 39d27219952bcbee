import { problemResponses, SeriesQuerySchema, SeriesResponseSchema } from '@opsmesh/contracts';
import { requirePermission, type ServiceApp } from '@opsmesh/shared';
import { errors } from '../errors.js';
import { MatcherError, parseSelector } from '../services/metrics/matchers.js';
import type { QueryEngine } from '../services/metrics/query-engine.js';
import { finiteOrNull } from './presenters.js';

export async function seriesRoutes(
  app: ServiceApp,
  opts: { query: QueryEngine; now: () => number },
): Promise<void> {
  app.get(
    '/series',
    {
      onRequest: requirePermission('monitoring:read'),
      schema: {
        summary: 'Raw series from the in-memory store: an instant read, or a range read with start and end',
        tags: ['series'],
        security: [{ bearer: [] }],
        querystring: SeriesQuerySchema,
        response: { 200: SeriesResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      let matchers: ReturnType<typeof parseSelector>;
      try {
        matchers = parseSelector(q.match);
      } catch (err) {
        if (err instanceof MatcherError) throw errors.MONITORING_INVALID_SELECTOR({ message: err.message });
        throw err;
      }
      const end = q.end ? Date.parse(q.end) : opts.now();
      const start = q.start ? Date.parse(q.start) : undefined;
      if (Number.isNaN(end) || (start !== undefined && Number.isNaN(start))) {
        throw errors.MONITORING_INVALID_SELECTOR({ message: 'start and end must be RFC 3339 date-times' });
      }
      if (start !== undefined && start > end) {
        throw errors.MONITORING_INVALID_SELECTOR({ message: 'start must not be after end' });
      }
      const limit = q.limit ?? 1000;
      const found =
        start === undefined
          ? opts.query
              .instant(matchers, end)
              .map((s) => ({ labels: s.labels, points: [[end, s.value]] as Array<[number, number]> }))
          : opts.query.range(matchers, start, end);
      return {
        truncated: found.length > limit,
        series: found.slice(0, limit).map((s) => ({
          labels: { ...s.labels },
          points: s.points.map(([t, v]) => [t / 1000, finiteOrNull(v)] as [number, number | null]),
        })),
      };
    },
  );
}
