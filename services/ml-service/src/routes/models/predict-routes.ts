import {
  ModelNameSchema,
  PredictBodySchema,
  PredictionLogEntrySchema,
  PredictionLogQuerySchema,
  PredictQuerySchema,
  PredictResponseSchema,
  problemResponses,
} from '@opsmesh/contracts';
import { answerPage, pageRequest, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import { stringifyExact } from '../../inference/exact-json.js';
import type { PredictionLogRepository } from '../../models/prediction.js';
import type { PredictionService } from '../../services/prediction-service.js';
import type { RegistryService } from '../../services/registry-service.js';
import { useInferJsonParser } from '../infer-json-parser.js';
import { predictionView } from '../views.js';

/** `POST /models/{name}/predict` (rows in, predictions out) and the prediction log. */

export interface PredictRouteDeps {
  prediction: PredictionService;
  registry: RegistryService;
  log: PredictionLogRepository;
  inferBodyLimit: number;
}

export function predictRoutes(deps: PredictRouteDeps) {
  return async (app: ServiceApp) => {
    useInferJsonParser(app);
    app.post(
      '/models/:name/predict',
      {
        onRequest: requirePermission('models:read'),
        bodyLimit: deps.inferBodyLimit,
        schema: {
          tags: ['inference'],
          summary:
            'Predict: rows in (arrays, or objects of named inputs or features), predictions and labels out',
          security: [{ bearer: [] }],
          params: Type.Object({ name: ModelNameSchema }),
          querystring: PredictQuerySchema,
          body: PredictBodySchema,
          response: { 200: PredictResponseSchema, ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const { alias, version } = request.query;
        const ref = {
          name: request.params.name,
          ...(alias ? { alias } : {}),
          ...(version ? { version } : {}),
        };
        const result = await deps.prediction.predict(ref, request.body.instances, {
          caller: request.identity!.subject,
          requestId: String(request.id),
        });
        // Not the schema's serializer: INT64 values stay exact, and NaN is written "NaN".
        reply.type('application/json; charset=utf-8').serializer(stringifyExact);
        return result;
      },
    );

    app.get(
      '/models/:name/predictions',
      {
        onRequest: requirePermission('models:read'),
        schema: {
          tags: ['inference'],
          summary: "A model's recent predictions: who, which version, rows, latency, outputs",
          security: [{ bearer: [] }],
          params: Type.Object({ name: ModelNameSchema }),
          querystring: PredictionLogQuerySchema,
          response: {
            200: Type.Object({ items: Type.Array(PredictionLogEntrySchema) }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const model = await deps.registry.getModel(request.params.name);
        const q = request.query;
        const page = pageRequest(q, 50);
        const found = await deps.log.list(model.id, page.limit, page.offset, q.version);
        answerPage(reply, page, found.items.length, found.total);
        return { items: found.items.map(predictionView) };
      },
    );
  };
}
