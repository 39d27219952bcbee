import {
  AliasHistoryEntrySchema,
  AliasSchema,
  CreateModelBodySchema,
  ModelListSchema,
  ModelSchema,
  MoveAliasBodySchema,
  PageQuerySchema,
  pageQueryProperties,
  problemResponses,
  UpdateModelBodySchema,
} from '@opsmesh/contracts';
import { answerPage, pageRequest, type ServiceApp } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { RegistryService } from '../../services/registry-service.js';
import { aliasView, historyView, modelView } from '../views.js';
import { AliasParams, modelPermissions, NameParams, security } from './route-common.js';

/**
 * `/models/...`: the registry (models, versions, aliases and their history). Permission
 * checks run in onRequest on every route of the service, before the body is parsed or
 * validated: an unauthenticated caller gets 401, never a 400, and cannot make us parse
 * a large body.
 */

export interface RegistryRouteDeps {
  registry: RegistryService;
}

export function registryRoutes(deps: RegistryRouteDeps) {
  const { registry } = deps;
  return async (app: ServiceApp) => {
    const { read, write, admin } = modelPermissions();

    app.get(
      '/models',
      {
        onRequest: read,
        schema: {
          tags: ['models'],
          summary: 'List models with their latest version and aliases',
          security,
          querystring: PageQuerySchema,
          response: { 200: ModelListSchema, ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const page = pageRequest(request.query, 50);
        const { items, total } = await registry.listModels(page.limit, page.offset);
        answerPage(reply, page, items.length, total);
        return { items: items.map(modelView), total };
      },
    );

    app.post(
      '/models',
      {
        onRequest: write,
        schema: {
          tags: ['models'],
          summary: 'Register a model (versions are uploaded separately)',
          security,
          body: CreateModelBodySchema,
          response: { 201: ModelSchema, ...problemResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const m = await registry.createModel({ ...request.body, owner: request.identity!.subject });
        return reply.code(201).send(modelView(m));
      },
    );

    app.get(
      '/models/:name',
      {
        onRequest: read,
        schema: {
          tags: ['models'],
          summary: 'One model',
          security,
          params: NameParams,
          response: { 200: ModelSchema, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => modelView(await registry.getModel(request.params.name)),
    );

    app.patch(
      '/models/:name',
      {
        onRequest: write,
        schema: {
          tags: ['models'],
          summary: "Change a model's description or batching",
          security,
          params: NameParams,
          body: UpdateModelBodySchema,
          response: { 200: ModelSchema, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => modelView(await registry.updateModel(request.params.name, request.body)),
    );

    app.delete(
      '/models/:name',
      {
        onRequest: admin,
        schema: {
          tags: ['models'],
          summary: 'Delete a model with all its versions',
          security,
          params: NameParams,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await registry.deleteModel(request.params.name);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/models/:name/aliases',
      {
        onRequest: read,
        schema: {
          tags: ['models'],
          summary: "A model's aliases and the version each points at",
          security,
          params: NameParams,
          response: {
            200: Type.Object({ items: Type.Array(AliasSchema) }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => ({
        items: (await registry.listAliases(request.params.name)).map((a) =>
          aliasView(request.params.name, a),
        ),
      }),
    );

    app.put(
      '/models/:name/aliases/:alias',
      {
        onRequest: write,
        schema: {
          tags: ['models'],
          summary: 'Point an alias at a version',
          security,
          params: AliasParams,
          body: MoveAliasBodySchema,
          response: { 200: AliasSchema, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { name, alias } = request.params;
        return aliasView(
          name,
          await registry.moveAlias(name, alias, request.body.version, request.identity!.subject),
        );
      },
    );

    app.post(
      '/models/:name/aliases/:alias/rollback',
      {
        onRequest: write,
        schema: {
          tags: ['models'],
          summary: 'Move an alias back to the version it pointed at before',
          security,
          params: AliasParams,
          response: { 200: AliasSchema, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const { name, alias } = request.params;
        return aliasView(name, await registry.rollbackAlias(name, alias, request.identity!.subject));
      },
    );

    app.delete(
      '/models/:name/aliases/:alias',
      {
        onRequest: write,
        schema: {
          tags: ['models'],
          summary: 'Delete an alias',
          security,
          params: AliasParams,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await registry.deleteAlias(request.params.name, request.params.alias, request.identity!.subject);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/models/:name/aliases/:alias/history',
      {
        onRequest: read,
        schema: {
          tags: ['models'],
          summary: "An alias's history: every move, rollback and delete, newest first",
          security,
          params: AliasParams,
          querystring: Type.Object(pageQueryProperties(50, 500)),
          response: {
            200: Type.Object({ items: Type.Array(AliasHistoryEntrySchema) }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const page = pageRequest(request.query, 50);
        const found = await registry.aliasHistory(request.params.name, request.params.alias, page);
        answerPage(reply, page, found.items.length, found.total);
        return { items: found.items.map(historyView) };
      },
    );
  };
}
