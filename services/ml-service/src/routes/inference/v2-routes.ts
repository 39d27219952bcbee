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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mlErrors } from '../../errors.js';
import { BinaryRequestError, parseBinaryInferRequest } from '../../inference/infer-binary.js';
import { v2Shape } from '../../onnx/signature-reader.js';
import type { ModelLoader } from '../../services/model-loader.js';
import { type ModelRef, parseModelRef } from '../../services/model-ref.js';
import type { InferRequest, PredictionService } from '../../services/prediction-service.js';
import type { RegistryService } from '../../services/registry-service.js';
import { useInferJsonParser } from '../infer-json-parser.js';
import { replayBody } from './lean-infer.js';
import { logV2Error, toV2Error } from './v2-error.js';

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
      logV2Error(request.log, err, e);
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      reply.header('x-error-code', e.code);
      return reply.code(e.status).type('application/json').send({ error: e.message });
    });

    // A body with an Inference-Header-Content-Length header is a binary tensor data request,
    // whatever its content type; other bodies are JSON (see infer-json-parser.ts).
    const binaryBody = (request: FastifyRequest, body: Buffer): { body: unknown } | undefined => {
      const header = request.headers['inference-header-content-length'];
      if (header === undefined) return undefined;
      try {
        return { body: parseBinaryInferRequest(body, Number(Array.isArray(header) ? header[0] : header)) };
      } catch (err) {
        if (err instanceof BinaryRequestError) throw mlErrors.ML_INVALID_INPUT({ message: err.message });
        throw err;
      }
    };
    useInferJsonParser(app, binaryBody);
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser<Buffer>('*', { parseAs: 'buffer' }, (request, body, done) => {
      const binary = binaryBody(request, body);
      if (binary) return done(null, binary.body);
      if (body.length === 0) return done(null, undefined);
      done(
        mlErrors.ML_UNSUPPORTED_BODY({ contentType: String(request.headers['content-type'] ?? 'none') }),
        undefined,
      );
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
        extensions: ['model_repository', 'binary_tensor_data'],
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
          ...(t.anyRank ? { parameters: { any_rank: true } } : {}),
        })),
        outputs: resolved.version.outputs.map((t) => ({
          name: t.name,
          datatype: t.datatype,
          shape: v2Shape(t.dims),
          ...(t.labels || t.optional || t.anyRank
            ? {
                parameters: {
                  ...(t.labels ? { labels: t.labels } : {}),
                  ...(t.optional ? { optional: true } : {}),
                  ...(t.anyRank ? { any_rank: true } : {}),
                },
              }
            : {}),
        })),
        ...(Object.keys(resolved.version.metadata).length > 0
          ? { parameters: { metadata: resolved.version.metadata } }
          : {}),
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
      // JSON, or binary tensor data under any content type (Triton's client sends none): the
      // parsers above decide, answering 415 for a body that is neither.
      consumes: ['application/json', 'application/octet-stream', '*/*'],
      body: V2InferRequestSchema,
      response: {
        200: V2InferResponseSchema,
        ...errors,
        413: V2ErrorSchema,
        422: V2ErrorSchema,
        503: V2ErrorSchema,
      },
    };
    const infer = async (
      request: FastifyRequest,
      reply: FastifyReply,
      params: { model: string; version?: string },
    ) => {
      const answer = await prediction.infer(refOf(params), request.body as InferRequest, {
        caller: request.identity!.subject,
        requestId: String(request.id),
      });
      if (answer.headerLength !== undefined) {
        reply.header('inference-header-content-length', String(answer.headerLength));
        reply.type('application/octet-stream');
      } else reply.type('application/json');
      return reply.send(answer.body);
    };
    app.post(
      '/v2/models/:model/infer',
      {
        onRequest: read,
        preParsing: replayBody,
        bodyLimit: deps.inferBodyLimit,
        schema: {
          ...inferSchema,
          summary: 'Open Inference Protocol: infer with a model',
          params: ModelParams,
        },
      },
      (r, reply) => infer(r, reply, r.params),
    );
    app.post(
      '/v2/models/:model/versions/:version/infer',
      {
        onRequest: read,
        preParsing: replayBody,
        bodyLimit: deps.inferBodyLimit,
        schema: {
          ...inferSchema,
          summary: 'Open Inference Protocol: infer with one version',
          params: VersionParams,
        },
      },
      (r, reply) => infer(r, reply, r.params),
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
      async (r, reply) => {
        // The whole repository unless a page is asked for; the headers say how much there is.
        const all = await registry.listVersionRefs();
        const rows = all.map((v) => {
          const loaded = loader.isLoaded(v.id);
          return {
            name: v.model,
            version: String(v.version),
            state: loaded ? ('READY' as const) : ('UNAVAILABLE' as const),
            reason: loaded ? '' : 'not loaded (loads on first use)',
          };
        });
        const matching = r.body?.ready ? rows.filter((x) => x.state === 'READY') : rows;
        const offset = r.body?.offset ?? 0;
        const page = matching.slice(offset, r.body?.limit === undefined ? undefined : offset + r.body.limit);
        reply.header('x-total-count', String(matching.length));
        if (offset + page.length < matching.length)
          reply.header('x-next-offset', String(offset + page.length));
        return page;
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
