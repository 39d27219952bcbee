import { gunzipSync } from 'node:zlib';
import {
  OtlpExportResponseSchema,
  problemResponses,
  TraceListQuerySchema,
  TraceListResponseSchema,
  TraceParamsSchema,
  TraceSchema,
} from '@opsmesh/contracts';
import { answerPage, pageRequest, requirePermission, type ServiceApp } from '@opsmesh/shared';
import { errors } from '../errors.js';
import { decodeOtlpTraces, OtlpDecodeError } from '../services/traces/otlp-decoder.js';
import type { TraceStore } from '../services/traces/trace-store.js';

/** OTLP exports are batches of a few hundred spans; this leaves room for big attributes. */
const OTLP_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The built-in trace store's routes: the OTLP/HTTP receiver every service exports to (open, as a
 * collector's receiver is inside a cluster), and the permission-checked trace list and trace.
 */
export async function traceRoutes(app: ServiceApp, opts: { traces: TraceStore }): Promise<void> {
  // OTLP bodies are read as bytes here, gzip included (OTEL_EXPORTER_OTLP_COMPRESSION=gzip); the
  // parsers live in this plugin's scope only.
  app.removeContentTypeParser('application/json');
  for (const type of ['application/json', 'application/x-protobuf']) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: OTLP_BODY_LIMIT },
      (request, body, done) => {
        try {
          // Inflated under the same bound as a plain body: a 16 MiB gzip of zeros is 16 GiB.
          const bytes =
            request.headers['content-encoding']?.toLowerCase().trim() === 'gzip'
              ? gunzipSync(body as Buffer, { maxOutputLength: OTLP_BODY_LIMIT })
              : (body as Buffer);
          done(null, bytes);
        } catch (err) {
          if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
            done(errors.MONITORING_OTLP_TOO_LARGE({ limit: OTLP_BODY_LIMIT }));
            return;
          }
          done(
            errors.MONITORING_INVALID_OTLP({
              message: 'the body is not valid gzip; send it plain or gzip it whole',
            }),
          );
        }
      },
    );
  }

  app.post(
    '/v1/traces',
    {
      bodyLimit: OTLP_BODY_LIMIT,
      config: { contentEncodings: ['gzip'] },
      schema: {
        tags: ['traces'],
        summary: 'OTLP/HTTP trace receiver (application/x-protobuf or application/json)',
        consumes: ['application/x-protobuf', 'application/json'],
        response: { 200: OtlpExportResponseSchema, ...problemResponses(400, 413, 415) },
      },
    },
    async (request, reply) => {
      const type = String(request.headers['content-type'] ?? '');
      let spans: ReturnType<typeof decodeOtlpTraces>;
      try {
        spans = decodeOtlpTraces(request.body as Buffer, type);
      } catch (err) {
        if (err instanceof OtlpDecodeError) throw errors.MONITORING_INVALID_OTLP({ message: err.message });
        throw err;
      }
      await opts.traces.receive(spans);
      // An empty ExportTraceServiceResponse: zero bytes in protobuf, `{}` in JSON.
      if (type.startsWith('application/x-protobuf')) {
        return reply.type('application/x-protobuf').send(Buffer.alloc(0) as never);
      }
      return {};
    },
  );

  const common = { tags: ['traces'], security: [{ bearer: [] }] };
  app.get(
    '/traces',
    {
      preHandler: requirePermission('monitoring:read'),
      schema: {
        ...common,
        summary:
          'Recent traces, newest first, filtered by service, operation, duration, status, time or request id',
        querystring: TraceListQuerySchema,
        response: { 200: TraceListResponseSchema, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const found = await opts.traces.list(request.query);
      answerPage(reply, pageRequest(request.query, 20), found.items.length, found.total);
      return { traces: found.items };
    },
  );
  app.get(
    '/traces/:traceId',
    {
      preHandler: requirePermission('monitoring:read'),
      schema: {
        ...common,
        summary: 'One trace with its spans, for a waterfall',
        params: TraceParamsSchema,
        response: { 200: TraceSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const trace = await opts.traces.get(request.params.traceId);
      if (!trace) throw errors.MONITORING_TRACE_NOT_FOUND({ traceId: request.params.traceId });
      return trace;
    },
  );
}
