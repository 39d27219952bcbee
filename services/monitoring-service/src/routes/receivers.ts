import { problemResponses, ReceiversResponseSchema } from '@opsmesh/contracts';
import { requirePermission, type ServiceApp } from '@opsmesh/shared';
import type { ReceiverDirectory } from '../services/notify/receiver-directory.js';

export async function receiverRoutes(app: ServiceApp, opts: { receivers: ReceiverDirectory }): Promise<void> {
  app.get(
    '/notifications/receivers',
    {
      onRequest: requirePermission('monitoring:read'),
      schema: {
        tags: ['notifications'],
        security: [{ bearer: [] }],
        summary:
          'Where alert notifications go (webhooks, the ChatOps service, Alertmanager) and how the last delivery went',
        response: { 200: ReceiversResponseSchema, ...problemResponses(401, 403) },
      },
    },
    () => opts.receivers.list(),
  );
}
