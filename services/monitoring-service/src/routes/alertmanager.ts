import {
  MonitoringWebhookAcceptedSchema,
  MonitoringWebhookSchema,
  problemResponses,
} from '@opsmesh/contracts';
import type { ServiceApp } from '@opsmesh/shared';
import type { AlertService } from '../services/alerting/alert-service.js';
import { machineOrPermission } from './machine-auth.js';

export async function alertmanagerRoutes(
  app: ServiceApp,
  opts: { alerts: AlertService; machineToken: string | undefined },
): Promise<void> {
  app.post(
    '/alertmanager/webhook',
    {
      onRequest: machineOrPermission(opts.machineToken, 'alerts:write'),
      schema: {
        summary: "Receives Alertmanager's webhook (version 4); its alerts join the alert list",
        tags: ['alertmanager'],
        security: [{ bearer: [] }],
        body: MonitoringWebhookSchema,
        response: { 200: MonitoringWebhookAcceptedSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => ({ accepted: await opts.alerts.receiveWebhook(request.body.alerts) }),
  );
}
