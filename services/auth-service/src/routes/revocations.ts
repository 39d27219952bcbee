import { RevocationPageSchema, RevocationQuerySchema } from '@opsmesh/contracts/auth';
import { problemResponses } from '@opsmesh/contracts/common';
import type { ServiceApp } from '@opsmesh/shared/service/create-service';
import type { RevocationHub } from '../services/revocation-hub.js';

/**
 * `GET /revocations`: the feed every verifier follows. Open, as the JWKS is: it names opaque ids
 * (users, sessions, API keys) revoked within the longest token lifetime, never who they are.
 */
export async function revocationRoutes(app: ServiceApp, opts: { hub: RevocationHub }): Promise<void> {
  app.get(
    '/revocations',
    {
      config: { longPoll: true },
      schema: {
        tags: ['tokens'],
        summary:
          'Credentials revoked recently (disabled users and service accounts, ended sessions, revoked API keys, key rotations); long-poll with after and wait',
        querystring: RevocationQuerySchema,
        response: { 200: RevocationPageSchema, ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return opts.hub.page(request.query.after ?? null, app.draining ? 0 : request.query.wait);
    },
  );
}
