import {
  ModelVersionSchema,
  pageQueryProperties,
  problemResponses,
  UpdateVersionBodySchema,
  VERSION_PAGE_DEFAULT,
  VERSION_PAGE_MAX,
} from '@opsmesh/contracts';
import { answerPage, pageRequest, type ServiceApp } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { ModelLoader } from '../../services/model-loader.js';
import type { RegistryService } from '../../services/registry-service.js';
import { servingOf } from '../../services/serving.js';
import { versionView } from '../views.js';
import { modelPermissions, NameParams, security, VersionParams } from './route-common.js';

/**
 * `/models/{name}/versions/...`: a model's versions, each with how it is served here (loaded,
 * batching decision, limits) and its settings. Uploads are upload-route.ts.
 */

export interface VersionRouteDeps {
  registry: RegistryService;
  loader: ModelLoader;
}

export function versionRoutes(deps: VersionRouteDeps) {
  const { registry, loader } = deps;
  return async (app: ServiceApp) => {
    const { read, write, admin } = modelPermissions();

    app.get(
      '/models/:name/versions',
      {
        onRequest: read,
        schema: {
          tags: ['models'],
          summary:
            "A model's versions, oldest first, a page at a time (x-total-count, x-next-offset): size, sha256, tensors, how each is served here, who uploaded each and when",
          security,
          params: NameParams,
          querystring: Type.Object(pageQueryProperties(VERSION_PAGE_DEFAULT, VERSION_PAGE_MAX), {
            additionalProperties: false,
          }),
          response: {
            200: Type.Object({ items: Type.Array(ModelVersionSchema) }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const page = pageRequest(request.query, VERSION_PAGE_DEFAULT);
        const [model, found] = await Promise.all([
          registry.getModel(request.params.name),
          registry.pageVersions(request.params.name, page),
        ]);
        answerPage(reply, page, found.items.length, found.total);
        return { items: found.items.map((v) => versionView(model.name, v, servingOf(loader, model, v))) };
      },
    );

    app.get(
      '/models/:name/versions/:version',
      {
        onRequest: read,
        schema: {
          tags: ['models'],
          summary: 'One version of a model, with how it is served here (batching decision, limits)',
          security,
          params: VersionParams,
          response: { 200: ModelVersionSchema, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const [model, v] = await Promise.all([
          registry.getModel(request.params.name),
          registry.getVersion(request.params.name, request.params.version),
        ]);
        return versionView(model.name, v, servingOf(loader, model, v));
      },
    );

    app.patch(
      '/models/:name/versions/:version',
      {
        onRequest: write,
        schema: {
          tags: ['models'],
          summary: "Change a version's batching mode and limits (on every replica)",
          security,
          params: VersionParams,
          body: UpdateVersionBodySchema,
          response: { 200: ModelVersionSchema, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { batching, limits } = request.body;
        const v = await registry.updateVersionSettings(request.params.name, request.params.version, {
          ...(batching !== undefined ? { batching } : {}),
          ...limits,
        });
        const model = await registry.getModel(request.params.name);
        return versionView(model.name, v, servingOf(loader, model, v));
      },
    );

    app.delete(
      '/models/:name/versions/:version',
      {
        onRequest: admin,
        schema: {
          tags: ['models'],
          summary: 'Delete a version no alias points at',
          security,
          params: VersionParams,
          response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await registry.deleteVersion(request.params.name, request.params.version);
        return reply.code(204).send(null);
      },
    );
  };
}
