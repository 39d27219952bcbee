import {
  problemResponses,
  SILENCE_PAGE_DEFAULT,
  SilenceIdParamsSchema,
  SilenceInputSchema,
  SilenceListQuerySchema,
  SilenceListResponseSchema,
  SilenceSchema,
} from '@opsmesh/contracts';
import { answerPage, pageRequest, requirePermission, type ServiceApp } from '@opsmesh/shared';
import type { SilenceService } from '../services/alerting/silence-service.js';
import { presentSilence } from './presenters.js';

export async function silenceRoutes(app: ServiceApp, opts: { silences: SilenceService }): Promise<void> {
  const common = { tags: ['silences'], security: [{ bearer: [] }] };
  app.get(
    '/silences',
    {
      onRequest: requirePermission('monitoring:read'),
      schema: {
        ...common,
        summary:
          'Silences, newest first, a page at a time (expired ones are listed for a week); x-total-count and x-next-offset say what remains',
        querystring: SilenceListQuerySchema,
        response: { 200: SilenceListResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const page = pageRequest(request.query, SILENCE_PAGE_DEFAULT);
      const found = await opts.silences.list({ ...page, state: request.query.state });
      answerPage(reply, page, found.items.length, found.total);
      return { silences: found.items.map(presentSilence) };
    },
  );
  app.post(
    '/silences',
    {
      onRequest: requirePermission('alerts:silence'),
      schema: {
        ...common,
        summary: 'Silence alerts matching label matchers for a time span',
        body: SilenceInputSchema,
        response: { 201: SilenceSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const created = await opts.silences.create(request.body, request.identity!.subject);
      return reply.code(201).send(presentSilence(created));
    },
  );
  app.put(
    '/silences/:id',
    {
      preHandler: requirePermission('alerts:silence'),
      schema: {
        ...common,
        summary:
          'Edit a silence that has not ended: matchers, span and comment (the editor becomes its author)',
        params: SilenceIdParamsSchema,
        body: SilenceInputSchema,
        response: { 200: SilenceSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentSilence(await opts.silences.update(request.params.id, request.body, request.identity!.subject)),
  );
  app.delete(
    '/silences/:id',
    {
      onRequest: requirePermission('alerts:silence'),
      schema: {
        ...common,
        summary: 'Expire a silence now',
        params: SilenceIdParamsSchema,
        response: { 200: SilenceSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentSilence(await opts.silences.expire(request.params.id)),
  );
}
