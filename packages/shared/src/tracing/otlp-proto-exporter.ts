import { createOtlpNetworkExportDelegate, OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';
import { type ISerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { kitProtobufTraceSerializer } from './otlp-span-encoder.js';
import { RetryingOtlpTransport, UndiciOtlpTransport } from './undici-otlp-transport.js';

/** An OTLP/HTTP span exporter: the SDK's configuration, queue and export logic over the kit's undici transport. */
function exportDelegate(
  config: { url: string; timeoutMillis: number },
  contentType: string,
  serializer: ISerializer<ReadableSpan[], unknown>,
) {
  // The SDK's merge of these options with `OTEL_EXPORTER_OTLP_*` (headers, compression, timeout).
  const options = convertLegacyHttpOptions(config, 'TRACES', 'v1/traces', { 'Content-Type': contentType });
  return createOtlpNetworkExportDelegate(
    options,
    serializer,
    new RetryingOtlpTransport(new UndiciOtlpTransport(options)),
  );
}

/**
 * The SDK's OTLP/HTTP protobuf exporter (its configuration, queue, retries and environment
 * settings) with the kit's encoder in place of the SDK's serializer: a sampled gateway request's
 * span, made and exported, costs about half the CPU it did with the SDK's exporter (10.6 against
 * 20.5 µs in bench/gateway/exchange-span.ts, load 19-20; `otlp-span-encoder.ts` says why), and
 * sent over undici (`UndiciOtlpTransport` says why).
 *
 * @example
 * new BatchSpanProcessor(new OtlpProtoExporter({ url: 'http://collector:4318/v1/traces', timeoutMillis: 5000 }));
 */
export class OtlpProtoExporter extends OTLPExporterBase<ReadableSpan[]> implements SpanExporter {
  constructor(config: { url: string; timeoutMillis: number }) {
    super(exportDelegate(config, 'application/x-protobuf', kitProtobufTraceSerializer));
  }
}

/**
 * The same for OTLP/HTTP JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), with the SDK's JSON serializer.
 *
 * @example
 * new BatchSpanProcessor(new OtlpJsonExporter({ url: 'http://collector:4318/v1/traces', timeoutMillis: 5000 }));
 */
export class OtlpJsonExporter extends OTLPExporterBase<ReadableSpan[]> implements SpanExporter {
  constructor(config: { url: string; timeoutMillis: number }) {
    super(exportDelegate(config, 'application/json', JsonTraceSerializer));
  }
}
