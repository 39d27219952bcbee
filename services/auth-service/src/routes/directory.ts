import { UserDirectoryQuerySchema, UserDirectorySchema } from '@opsmesh/contracts/auth';
import { problemResponses } from '@opsmesh/contracts/common';
import { requireAuth } from '@opsmesh/shared/identity/hooks';
import type { ServiceApp } from '@opsmesh/shared/service/create-service';
import type { UserService } from '../services/user-service.js';

/**
 * `GET /directory?id=usr_a&id=usr_b`: who recorded ids are. Every service records the subject
 * of whoever acted (acked an alert, moved an alias); people are shown by email, so any signed-in
 * caller may turn ids into emails and display names. It lists nothing by itself: only the ids
 * asked, at most 100.
 */
export async function directoryRoutes(app: ServiceApp, opts: { users: UserService }): Promise<void> {
  app.get(
    '/directory',
    {
      onRequest: requireAuth(),
      schema: {
        tags: ['users'],
        security: [{ bearer: [] }],
        summary: 'Email and display name of the users with the given ids (any signed-in caller)',
        querystring: UserDirectoryQuerySchema,
        response: { 200: UserDirectorySchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => ({ items: await opts.users.directory(request.query.id) }),
  );
}
