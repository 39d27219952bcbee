import {
  ModelRefSchema,
  V2ErrorSchema,
  V2InferRequestSchema,
  V2InferResponseSchema,
  V2LiveSchema,
  V2ModelMetadataSchema,
  V2ModelReadySchema,
  V2ReadySchema,
  V2RepositoryIndexRequestSchema,
  V2RepositoryIndexSchema,
  V2ServerMetadataSchema,
} from '@opsmesh/contracts';
import { requirePermission, type ServiceApp } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import { mlErrors } from '../../errors.js';
import { NOT_PARSED, parseInferJson } from '../../inference/infer-json.js';
import { v2Shape } from '../../onnx/signature-reader.js';
import type { ModelLoader } from '../../services/model-loader.js';
import { type ModelRef, parseModelRef } from '../../services/model-ref.js';
import type { PredictionService } from '../../services/prediction-service.js';
import type { RegistryService } from '../../services/registry-service.js';
import { toV2Error } from './v2-error.js';

/**
 * The Open Inference Protocol (KServe / Triton / MLServer "V2" REST API) with the model
 * repository extension. Errors keep the protocol's `{ "error": "..." }` body (and the same
 * status codes and headers as the rest of the service) so existing V2 clients work unchanged.
 */

export interface V2RouteDeps {
  registry: RegistryService;
  prediction: PredictionService;
  loader: ModelLoader;
  serverName: string;
  serverVersion: string;
  isReady: () => Promise<boolean>;
  inferBodyLimit: number;
}

const ModelParams = Type.Object({ model: ModelRefSchema });
const VersionParams = Type.Object({
  model: ModelRefSchema,
  version: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
});
const errors = {
  400: V2ErrorSchema,
  401: V2ErrorSchema,
  403: V2ErrorSchema,
  404: V2ErrorSchema,
  409: V2ErrorSchema,
};
const security = [{ bearer: [] }];

function refOf(params: { model: string; version?: string }): ModelRef {
  const ref = parseModelRef(params.model, params.version);
  if (!ref)
    throw mlErrors.ML_INVALID_INPUT({
      message: `"${params.model}" is not a model name, name@alias or version`,
    });
  return ref;
}

export function v2Routes(deps: V2RouteDeps) {
  const { registry, loader, prediction } = deps;
  return async (app: ServiceApp) => {
    app.setErrorHandler((err, request, reply) => {
      const e = toV2Error(err, request);
      if (e.status >= 500 && e.code !== 'ML_OVERLOADED') request.log.error({ err }, 'request failed');
      else request.log.info({ code: e.code, detail: e.message }, 'request rejected');
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      reply.header('x-error-code', e.code);
      return reply.code(e.status).type('application/json').send({ error: e.message });
    });

    // Tensor data is parsed straight into typed storage (see infer-json.ts); any body that
    // parser does not take goes to the stock parser, so errors and limits stay the server's own.
    const stockJson = app.getDefaultJsonParser(
      app.initialConfig.onProtoPoisoning ?? 'error',
      app.initialConfig.onConstructorPoisoning ?? 'error',
    );
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser<Buffer>('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const parsed = parseInferJson(body);
      if (parsed === NOT_PARSED) stockJson(request, body.toString('utf8'), done);
      else done(null, parsed);
    });

    const read = requirePermission('models:read');
    const write = requirePermission('models:write');

    app.get(
      '/v2/health/live',
      {
        schema: {
          tags: ['v2'],
          summary: 'Open Inference Protocol: server live',
          response: { 200: V2LiveSchema },
        },
      },
      async () => ({
        live: true,
      }),
    );
    app.get(
      '/v2/health/ready',
      {
        schema: {
          tags: ['v2'],
          summary: 'Open Inference Protocol: server ready',
          response: { 200: V2ReadySchema, 503: V2ReadySchema },
        },
      },
      async (_req, reply) => {
        const ready = await deps.isReady().catch(() => false);
        return reply.code(ready ? 200 : 503).send({ ready });
      },
    );
    app.get(
      '/v2',
      {
        schema: {
          tags: ['v2'],
          summary: 'Open Inference Protocol: server metadata',
          response: { 200: V2ServerMetadataSchema },
        },
      },
      async () => ({
        name: deps.serverName,
        version: deps.serverVersion,
        extensions: ['model_repository'],
      }),
    );

    const metadata = async (ref: ModelRef) => {
      const resolved = await registry.resolve(ref);
      const versions = await registry.listVersions(resolved.model.name);
      return {
        name: resolved.model.name,
        versions: versions.map((v) => String(v.version)),
        platform: 'onnxruntime_onnx',
        inputs: resolved.version.inputs.map((t) => ({
          name: t.name,
          datatype: t.datatype,
          shape: v2Shape(t.dims),
        })),
        outputs: resolved.version.outputs.map((t) => ({
          name: t.name,
          datatype: t.datatype,
          shape: v2Shape(t.dims),
        })),
      };
    };
    const metaSchema = { tags: ['v2'], security, response: { 200: V2ModelMetadataSchema, ...errors } };
    app.get(
      '/v2/models/:model',
      {
        onRequest: read,
        schema: {
          ...metaSchema,
          summary: "Model metadata: the served version's input and output tensors",
          params: ModelParams,
        },
      },
      async (r) => metadata(refOf(r.params)),
    );
    app.get(
      '/v2/models/:model/versions/:version',
      {
        onRequest: read,
        schema: { ...metaSchema, summary: 'Metadata of one version of a model', params: VersionParams },
      },
      async (r) => metadata(refOf(r.params)),
    );

    /** Ready means the version can serve now: it is loaded (loading it on demand if needed). */
    const ready = async (ref: ModelRef) => {
      const resolved = await registry.resolve(ref);
      const ok = await loader.get(resolved.loadable).then(
        () => true,
        () => false,
      );
      return { name: resolved.model.name, version: String(resolved.version.version), ready: ok };
    };
    const readySchema = { tags: ['v2'], security, response: { 200: V2ModelReadySchema, ...errors } };
    app.get(
      '/v2/models/:model/ready',
      {
        onRequest: read,
        schema: {
          ...readySchema,
          summary: 'Whether a model can serve now (loads it if needed)',
          params: ModelParams,
        },
      },
      async (r) => ready(refOf(r.params)),
    );
    app.get(
      '/v2/models/:model/versions/:version/ready',
      {
        onRequest: read,
        schema: {
          ...readySchema,
          summary: 'Whether one version of a model can serve now',
          params: VersionParams,
        },
      },
      async (r) => ready(refOf(r.params)),
    );

    const inferSchema = {
      tags: ['v2'],
      security,
      body: V2InferRequestSchema,
      response: {
        200: V2InferResponseSchema,
        ...errors,
        413: V2ErrorSchema,
        422: V2ErrorSchema,
        503: V2ErrorSchema,
      },
    };
    const infer = (
      ref: ModelRef,
      body: Parameters<PredictionService['infer']>[1],
      caller: string,
      requestId: string,
    ) => prediction.infer(ref, body, { caller, requestId });
    app.post(
      '/v2/models/:model/infer',
      {
        onRequest: read,
        bodyLimit: deps.inferBodyLimit,
        schema: {
          ...inferSchema,
          summary: 'Open Inference Protocol: infer with a model',
          params: ModelParams,
        },
      },
      async (r) => infer(refOf(r.params), r.body, r.identity!.subject, String(r.id)),
    );
    app.post(
      '/v2/models/:model/versions/:version/infer',
      {
        onRequest: read,
        bodyLimit: deps.inferBodyLimit,
        schema: {
          ...inferSchema,
          summary: 'Open Inference Protocol: infer with one version',
          params: VersionParams,
        },
      },
      async (r) => infer(refOf(r.params), r.body, r.identity!.subject, String(r.id)),
    );

    app.post(
      '/v2/repository/index',
      {
        onRequest: read,
        schema: {
          tags: ['v2'],
          summary: 'Model repository index: every version and whether it is loaded',
          security,
          body: Type.Optional(V2RepositoryIndexRequestSchema),
          response: { 200: V2RepositoryIndexSchema, ...errors },
        },
      },
      async (r) => {
        const { items } = await registry.listModels(500, 0);
        const rows: { name: string; version: string; state: 'READY' | 'UNAVAILABLE'; reason: string }[] = [];
        for (const m of items) {
          for (const v of await registry.listVersions(m.name)) {
            const loaded = loader.isLoaded(v.id);
            rows.push({
              name: m.name,
              version: String(v.version),
              state: loaded ? 'READY' : 'UNAVAILABLE',
              reason: loaded ? '' : 'not loaded (loads on first use)',
            });
          }
        }
        return r.body?.ready ? rows.filter((x) => x.state === 'READY') : rows;
      },
    );
    const repoSchema = {
      tags: ['v2'],
      security,
      params: ModelParams,
      response: { 200: Type.Object({}), ...errors },
    };
    app.post(
      '/v2/repository/models/:model/load',
      { onRequest: write, schema: { ...repoSchema, summary: 'Load a model into memory' } },
      async (r) => {
        const resolved = await registry.resolve(refOf(r.params));
        await loader.get(resolved.loadable);
        return {};
      },
    );
    app.post(
      '/v2/repository/models/:model/unload',
      {
        onRequest: write,
        schema: {
          ...repoSchema,
          summary: 'Unload a model (name@alias: that version only), on every replica',
        },
      },
      async (r) => {
        const ref = refOf(r.params);
        // A bare name unloads every loaded version of the model; name@alias just that one. On
        // every replica: the registry tells the others.
        if (ref.alias) await registry.unload(ref.name, [(await registry.resolve(ref)).version.id]);
        else {
          await registry.getModel(ref.name);
          await registry.unload(ref.name);
        }
        return {};
      },
    );
  };
}
