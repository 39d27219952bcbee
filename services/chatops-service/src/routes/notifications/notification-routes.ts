import { timingSafeEqual } from 'node:crypto';
import { AlertNotificationSchema, NotificationResultSchema, problemResponses } from '@opsmesh/contracts';
import { authGuard, type ServiceApp } from '@opsmesh/shared';
import type { FastifyRequest } from 'fastify';
import { chatopsErrors } from '../../errors.js';
import type { NotificationKeyRepository } from '../../models/notification-key-repository.js';
import type { AlertNotifier, Delivery } from '../../notifications/alert-notifier.js';

export interface NotificationRouteDeps {
  notifier: AlertNotifier;
  notifyToken: string | undefined;
  /** Outcomes by Idempotency-Key, so a notification sent again is not posted twice. */
  keys: NotificationKeyRepository;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who may post alerts: a real Alertmanager with the shared notify token, a service account, or an alerts:write holder. */
async function authorise(request: FastifyRequest, notifyToken: string | undefined): Promise<void> {
  const header = request.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  if (!bearer) throw chatopsErrors.CHATOPS_NOTIFY_UNAUTHORIZED({});
  if (notifyToken && sameSecret(bearer, notifyToken)) return;
  const authenticator = request.server.authenticator;
  if (!authenticator) throw chatopsErrors.CHATOPS_NOTIFY_UNAUTHORIZED({});
  const identity = await authenticator.authenticate({ authorization: header });
  request.identity = identity;
  if (identity.kind !== 'service' && !identity.permissions.has('alerts:write')) {
    throw chatopsErrors.CHATOPS_NOTIFY_FORBIDDEN({});
  }
}

/** `POST /notifications/alertmanager`: Alertmanager v4 webhooks, posted to Slack grouped and routed. */
export function notificationRoutes(deps: NotificationRouteDeps) {
  return async (app: ServiceApp) => {
    app.post(
      '/notifications/alertmanager',
      {
        // A guard, so it runs before the body is parsed and validated.
        onRequest: authGuard({ permission: 'alerts:write' }, (request: FastifyRequest) =>
          authorise(request, deps.notifyToken),
        ),
        schema: {
          tags: ['notifications'],
          summary: 'Alert notifications (an Alertmanager v4 webhook), posted to Slack grouped and routed',
          security: [{ bearer: [] }],
          body: AlertNotificationSchema,
          response: { 200: NotificationResultSchema, ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        // A sender that retries (it crashed after our answer, or another of its replicas took
        // over) names the notification: the first outcome is answered again, nothing reposted.
        const header = request.headers['idempotency-key'];
        const key = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : null;
        if (key) {
          const seen = (await deps.keys.find(key)) as Delivery[] | undefined;
          if (seen) {
            reply.header('idempotent-replayed', 'true');
            return { deliveries: seen };
          }
        }
        const deliveries = await deps.notifier.notify(request.body);
        if (key) await deps.keys.record(key, deliveries);
        return { deliveries };
      },
    );
  };
}
