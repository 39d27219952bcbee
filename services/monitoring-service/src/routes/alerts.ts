import {
  AckInputSchema,
  AlertHistoryQuerySchema,
  AlertHistoryResponseSchema,
  AlertListQuerySchema,
  AlertListResponseSchema,
  AlertParamsSchema,
  AlertSchema,
  problemResponses,
} from '@opsmesh/contracts';
import { answerPage, pageRequest, requirePermission, type ServiceApp } from '@opsmesh/shared';
import type { AlertService } from '../services/alerting/alert-service.js';
import { presentAlert, presentHistory } from './presenters.js';

export async function alertRoutes(app: ServiceApp, opts: { alerts: AlertService }): Promise<void> {
  const read = requirePermission('monitoring:read');
  const common = { tags: ['alerts'], security: [{ bearer: [] }] };

  app.get(
    '/alerts',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: 'Current alerts (pending, firing, recently resolved), from the rules and from Alertmanager',
        querystring: AlertListQuerySchema,
        response: { 200: AlertListResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ alerts: (await opts.alerts.list(request.query)).map(presentAlert) }),
  );
  app.get(
    '/alerts/history',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: 'Alert history: state changes, acknowledgements and notifications, newest first',
        querystring: AlertHistoryQuerySchema,
        response: { 200: AlertHistoryResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const before = q.before ? Date.parse(q.before) : undefined;
      const page = pageRequest(q, 100);
      const found = await opts.alerts.history({
        fingerprint: q.fingerprint,
        before: before !== undefined && Number.isFinite(before) ? before : undefined,
        ...page,
      });
      answerPage(reply, page, found.items.length, found.total);
      return { entries: found.items.map(presentHistory) };
    },
  );
  app.post(
    '/alerts/:fingerprint/ack',
    {
      onRequest: requirePermission('alerts:ack'),
      schema: {
        ...common,
        summary: 'Acknowledge an alert (who and when are recorded)',
        params: AlertParamsSchema,
        body: AckInputSchema,
        response: { 200: AlertSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const who = request.identity!.subject;
      return presentAlert(await opts.alerts.acknowledge(request.params.fingerprint, who));
    },
  );
}
