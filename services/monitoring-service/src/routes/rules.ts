import {
  problemResponses,
  RuleIdParamsSchema,
  RuleInputSchema,
  RuleListResponseSchema,
  RuleSchema,
} from '@opsmesh/contracts';
import { requirePermission, type ServiceApp } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { RuleService } from '../services/alerting/rule-service.js';
import { presentRule } from './presenters.js';

export async function ruleRoutes(app: ServiceApp, opts: { rules: RuleService }): Promise<void> {
  const read = requirePermission('monitoring:read');
  const write = requirePermission('alerts:write');
  const common = { tags: ['rules'], security: [{ bearer: [] }] };

  app.get(
    '/rules',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: 'Alert rules',
        response: { 200: RuleListResponseSchema, ...problemResponses(401, 403) },
      },
    },
    async () => ({ rules: (await opts.rules.list()).map(presentRule) }),
  );
  app.get(
    '/rules/:id',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: 'One alert rule',
        params: RuleIdParamsSchema,
        response: { 200: RuleSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentRule(await opts.rules.get(request.params.id)),
  );
  app.post(
    '/rules',
    {
      onRequest: write,
      schema: {
        ...common,
        summary: 'Create an alert rule (validated; 400 names each problem)',
        body: RuleInputSchema,
        response: { 201: RuleSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(presentRule(await opts.rules.create(request.body))),
  );
  app.put(
    '/rules/:id',
    {
      onRequest: write,
      schema: {
        ...common,
        summary: 'Replace an alert rule',
        params: RuleIdParamsSchema,
        body: RuleInputSchema,
        response: { 200: RuleSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentRule(await opts.rules.replace(request.params.id, request.body)),
  );
  app.delete(
    '/rules/:id',
    {
      onRequest: write,
      schema: {
        ...common,
        summary: 'Delete an alert rule; its firing alerts resolve',
        params: RuleIdParamsSchema,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await opts.rules.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
