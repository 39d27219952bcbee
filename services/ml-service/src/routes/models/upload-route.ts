import multipart from '@fastify/multipart';
import { ModelNameSchema, ModelVersionSchema, problemResponses, UploadQuerySchema } from '@opsmesh/contracts';
import { isAppError, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { mlErrors } from '../../errors.js';
import type { ModelLoader } from '../../services/model-loader.js';
import type { RegistryService } from '../../services/registry-service.js';
import { servingOf } from '../../services/serving.js';
import { versionView } from '../views.js';

/**
 * `POST /models/{name}/versions`: a new version from the raw .onnx bytes
 * (application/octet-stream) or a multipart form with a `file` field (and optional
 * `description`). Creates the model on first upload.
 */

export interface UploadRouteDeps {
  registry: RegistryService;
  loader: ModelLoader;
  maxUploadBytes: number;
}

async function readUpload(
  request: FastifyRequest,
  limit: number,
): Promise<{ bytes: Uint8Array; description?: string }> {
  if (!request.isMultipart()) return { bytes: new Uint8Array(request.body as Buffer) };
  let bytes: Uint8Array | undefined;
  let description: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname === 'file' || part.fieldname === 'model') bytes = new Uint8Array(data);
      } else if (part.fieldname === 'description' && typeof part.value === 'string') {
        description = part.value.slice(0, 2000);
      }
    }
  } catch (err) {
    if (isAppError(err)) throw err;
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw mlErrors.ML_UPLOAD_TOO_LARGE({ limit });
    // Whatever else the multipart reader trips on (no boundary, truncated body) is the sender's.
    throw mlErrors.ML_MALFORMED_UPLOAD({ reason: (err as Error).message.slice(0, 200) });
  }
  if (!bytes) throw mlErrors.ML_EMPTY_UPLOAD({});
  return description === undefined ? { bytes } : { bytes, description };
}

export function uploadRoute(deps: UploadRouteDeps) {
  return async (app: ServiceApp) => {
    // This scope takes model bytes only: any other type is refused by the kit with 415 naming
    // the route's `consumes` before a byte is read.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: deps.maxUploadBytes },
      (_req, body, done) => done(null, body),
    );
    await app.register(multipart, {
      limits: { fileSize: deps.maxUploadBytes, files: 1, fields: 10, fieldSize: 4096 },
    });

    app.post(
      '/models/:name/versions',
      {
        onRequest: requirePermission('models:write'),
        bodyLimit: deps.maxUploadBytes,
        schema: {
          tags: ['models'],
          summary: 'Upload a new version: the raw .onnx bytes, or a multipart form with a file',
          security: [{ bearer: [] }],
          params: Type.Object({ name: ModelNameSchema }),
          querystring: UploadQuerySchema,
          consumes: ['application/octet-stream', 'multipart/form-data'],
          response: { 201: ModelVersionSchema, ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        if (request.body === undefined && !request.isMultipart()) throw mlErrors.ML_EMPTY_UPLOAD({});
        const upload = await readUpload(request, deps.maxUploadBytes);
        const description = upload.description ?? request.query.description;
        const version = await deps.registry.uploadVersion({
          name: request.params.name,
          bytes: upload.bytes,
          by: request.identity!.subject,
          ...(description !== undefined ? { description } : {}),
        });
        const model = await deps.registry.getModel(request.params.name);
        return reply.code(201).send(versionView(model.name, version, servingOf(deps.loader, model, version)));
      },
    );
  };
}
