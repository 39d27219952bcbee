import {
  problemResponses,
  SignalSeriesParamsSchema,
  SignalSeriesQuerySchema,
  SignalSeriesResponseSchema,
  SignalsQuerySchema,
  SignalsResponseSchema,
} from '@opsmesh/contracts';
import type { Discovery } from '@opsmesh/shared';
import { requirePermission, type ServiceApp } from '@opsmesh/shared';
import { errors } from '../errors.js';
import { formatDuration } from '../services/duration.js';
import type { SignalSource } from '../services/signals/signal-source.js';
import { durationParam, viaPrometheus } from './params.js';

const MAX_POINTS = 11_000;

export interface SignalRoutesOptions {
  signals: SignalSource;
  discovery: Discovery;
  defaultWindow: string;
  now: () => number;
}

export async function signalRoutes(app: ServiceApp, opts: SignalRoutesOptions): Promise<void> {
  const read = requirePermission('monitoring:read');

  app.get(
    '/signals',
    {
      onRequest: read,
      schema: {
        summary: 'Golden signals of every service, now',
        tags: ['signals'],
        security: [{ bearer: [] }],
        querystring: SignalsQuerySchema,
        response: { 200: SignalsResponseSchema, ...problemResponses(400, 401, 403, 503) },
      },
    },
    async (request) => {
      const windowMs = durationParam('window', request.query.window, opts.defaultWindow);
      const at = opts.now();
      const services = Object.keys(await opts.discovery.services()).sort();
      const rows = await Promise.all(
        services.map(async (service) => ({
          service,
          signals: await viaPrometheus(() => opts.signals.current(service, windowMs, at)),
        })),
      );
      return {
        at: new Date(at).toISOString(),
        window: formatDuration(windowMs),
        source: opts.signals.kind,
        services: rows,
      };
    },
  );

  app.get(
    '/signals/:service/:signal',
    {
      onRequest: read,
      schema: {
        summary: 'One golden signal of one service as a time series',
        tags: ['signals'],
        security: [{ bearer: [] }],
        params: SignalSeriesParamsSchema,
        querystring: SignalSeriesQuerySchema,
        response: { 200: SignalSeriesResponseSchema, ...problemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => {
      const { service, signal } = request.params;
      const known = Object.keys(await opts.discovery.services()).sort();
      if (!known.includes(service))
        throw errors.MONITORING_UNKNOWN_SERVICE({ service, known: known.join(', ') });
      const windowMs = durationParam('window', request.query.window, '1h');
      const stepMs = durationParam('step', request.query.step, '1m');
      const rateWindowMs = durationParam('rateWindow', request.query.rateWindow, opts.defaultWindow);
      const points = Math.floor(windowMs / stepMs) + 1;
      if (points > MAX_POINTS) throw errors.MONITORING_RANGE_TOO_LARGE({ points, max: MAX_POINTS });
      const end = Math.floor(opts.now() / stepMs) * stepMs;
      const series = await viaPrometheus(() =>
        opts.signals.series(service, signal, rateWindowMs, end - windowMs, end, stepMs),
      );
      return {
        service,
        signal,
        window: formatDuration(windowMs),
        step: formatDuration(stepMs),
        source: opts.signals.kind,
        points: series.map((p) => ({ at: new Date(p.at).toISOString(), value: p.value })),
      };
    },
  );
}
