import {
  problemResponses,
  RuleIdParamsSchema,
  RuleImportResponseSchema,
  RuleInputSchema,
  RuleListResponseSchema,
  RuleSchema,
} from '@opsmesh/contracts';
import { requirePermission, type ServiceApp, utf8Body } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { errors } from '../errors.js';
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
  // Prometheus rule files are YAML; the parser lives in this plugin's scope.
  const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'buffer' }, (_req, body, done) => {
    let text: string;
    try {
      text = utf8Body(body as Buffer);
    } catch (err) {
      done(err as Error);
      return;
    }
    try {
      done(null, parseYaml(text, { maxAliasCount: 100 }));
    } catch (err) {
      // The parser recurses per level: a file nested thousands deep exhausts the stack, which is
      // the caller's nesting, not a fault here, and its message would only say "call stack".
      // (the parser reports that as its own error carrying the RangeError's message).
      const first = (err as Error).message.split('\n')[0] ?? '';
      const why = /Maximum call stack size exceeded/.test(first)
        ? 'it is nested too deeply (a rule file needs a handful of levels)'
        : first;
      done(
        errors.MONITORING_INVALID_RULE({
          summary: `The body is not valid YAML: ${why}. Send a Prometheus rule file.`,
        }),
      );
    }
  });
  app.post(
    '/rules/import',
    {
      onRequest: write,
      schema: {
        ...common,
        summary:
          'Import a Prometheus rule file (groups of alerting rules, YAML or JSON); a rule with the name and severity of an existing one replaces it',
        consumes: ['application/json', ...YAML_TYPES],
        body: Type.Unknown(),
        response: { 200: RuleImportResponseSchema, ...problemResponses(400, 401, 403, 415) },
      },
    },
    async (request) => {
      const { created, replaced } = await opts.rules.importFile(request.body);
      return {
        created: created.length,
        replaced: replaced.length,
        rules: [...created, ...replaced].map(presentRule),
      };
    },
  );
  app.get(
    '/rules/export',
    {
      onRequest: read,
      schema: {
        ...common,
        summary: 'Every enabled rule as a Prometheus rule file (YAML), for rule_files or promtool',
        produces: ['application/yaml'],
        response: { 200: Type.String(), ...problemResponses(401, 403) },
      },
    },
    async (_request, reply) => {
      reply.type('application/yaml; charset=utf-8');
      return opts.rules.exportFile();
    },
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
