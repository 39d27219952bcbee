import { ModelVersionSchema, problemResponses, UpdateVersionBodySchema } from '@opsmesh/contracts';
import type { ServiceApp } from '@opsmesh/shared';
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
            "A model's versions: size, sha256, tensors, how each is served here, who uploaded each and when",
          security,
          params: NameParams,
          response: {
            200: Type.Object({ items: Type.Array(ModelVersionSchema) }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const [model, list] = await Promise.all([
          registry.getModel(request.params.name),
          registry.listVersions(request.params.name),
        ]);
        return { items: list.map((v) => versionView(model.name, v, servingOf(loader, model, v))) };
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
