import { createRequire } from 'node:module';
import { invalidUtf8Offset } from '@opsmesh/shared';

/** A span as the store keeps it, whichever OTLP encoding it came in. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startMs: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage: string | null;
  attributes: Record<string, AttributeValue>;
  events: { name: string; timeMs: number; attributes: Record<string, AttributeValue> }[];
}

type Scalar = string | number | boolean | null;
export type AttributeValue = Scalar | Scalar[];

/** Thrown for a body that is not an OTLP trace export; the message says what is wrong. */
export class OtlpDecodeError extends Error {}

// The OTLP protobuf types, generated from the OpenTelemetry protos by the official transformer.
const root = createRequire(import.meta.url)('@opentelemetry/otlp-transformer/build/src/generated/root.js');
const RequestType = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest as {
  decode(bytes: Uint8Array): unknown;
};

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const own = (o: object, k: string) => Object.hasOwn(o, k);

/** An id as lower-case hex: JSON carries hex strings, protobuf raw bytes. */
function hexId(value: unknown): string {
  if (typeof value === 'string') return value.toLowerCase();
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  return '';
}

/** Unix nanoseconds (a JSON string or number, a protobuf Long or number) to milliseconds. */
function nanosToMs(value: unknown): number {
  if (value === undefined || value === null) return 0;
  const text = typeof value === 'object' ? String(value) : String(value);
  if (!/^\d+$/.test(text)) throw new OtlpDecodeError(`timestamp "${text}" is not unix nanoseconds`);
  const ns = BigInt(text);
  return Number(ns / 1000n) / 1000;
}

function anyValue(v: unknown, depth = 0): AttributeValue {
  if (!v || typeof v !== 'object' || depth > 2) return null;
  const o = v as Record<string, unknown>;
  if (own(o, 'stringValue')) return String(o['stringValue']);
  if (own(o, 'boolValue')) return Boolean(o['boolValue']);
  if (own(o, 'intValue')) return Number(String(o['intValue']));
  if (own(o, 'doubleValue')) return Number(o['doubleValue']);
  if (own(o, 'bytesValue')) return hexId(o['bytesValue']) || String(o['bytesValue']);
  if (own(o, 'arrayValue')) {
    const values = ((o['arrayValue'] as { values?: unknown[] }).values ?? []).slice(0, 64);
    return values.map((x) => {
      const inner = anyValue(x, depth + 1);
      return Array.isArray(inner) ? JSON.stringify(inner) : inner;
    });
  }
  if (own(o, 'kvlistValue'))
    return JSON.stringify(attributes((o['kvlistValue'] as { values?: unknown[] }).values));
  return null;
}

function attributes(list: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list.slice(0, 256)) {
    const { key, value } = (kv ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key === 'string' && key) out[key] = anyValue(value);
  }
  return out;
}

function statusOf(status: unknown): { status: ReceivedSpan['status']; message: string | null } {
  const s = (status ?? {}) as { code?: unknown; message?: unknown };
  const code =
    s.code === 2 || s.code === 'STATUS_CODE_ERROR'
      ? 'error'
      : s.code === 1 || s.code === 'STATUS_CODE_OK'
        ? 'ok'
        : 'unset';
  return {
    status: code,
    message: typeof s.message === 'string' && s.message ? s.message.slice(0, 1024) : null,
  };
}

function asArray(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${where} must be an array`);
  return value;
}

/** The spans of a decoded `ExportTraceServiceRequest` (JSON object or protobuf message). */
function spansOf(request: unknown): ReceivedSpan[] {
  if (!request || typeof request !== 'object')
    throw new OtlpDecodeError('the body is not an OTLP export request');
  const out: ReceivedSpan[] = [];
  const resourceSpans = asArray((request as { resourceSpans?: unknown }).resourceSpans, 'resourceSpans');
  resourceSpans.forEach((rs, r) => {
    const resource = attributes((rs as { resource?: { attributes?: unknown } })?.resource?.attributes);
    const service =
      typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
    asArray((rs as { scopeSpans?: unknown }).scopeSpans, `resourceSpans.${r}.scopeSpans`).forEach((ss, s) => {
      asArray((ss as { spans?: unknown }).spans, `resourceSpans.${r}.scopeSpans.${s}.spans`).forEach(
        (raw, i) => {
          const where = `resourceSpans.${r}.scopeSpans.${s}.spans.${i}`;
          const span = (raw ?? {}) as Record<string, unknown>;
          const traceId = hexId(span['traceId']);
          const spanId = hexId(span['spanId']);
          if (!HEX32.test(traceId))
            throw new OtlpDecodeError(`${where}.traceId must be 16 bytes (32 hex digits)`);
          if (!HEX16.test(spanId))
            throw new OtlpDecodeError(`${where}.spanId must be 8 bytes (16 hex digits)`);
          const parent = hexId(span['parentSpanId']);
          if (parent && !HEX16.test(parent)) {
            throw new OtlpDecodeError(`${where}.parentSpanId must be 8 bytes (16 hex digits) or empty`);
          }
          const startMs = nanosToMs(span['startTimeUnixNano']);
          const endMs = nanosToMs(span['endTimeUnixNano']);
          const { status, message } = statusOf(span['status']);
          const kind = Number(span['kind'] ?? 0);
          out.push({
            traceId,
            spanId,
            parentSpanId: parent || null,
            service,
            name: String(span['name'] ?? '').slice(0, 512) || '(unnamed)',
            kind: Number.isInteger(kind) && kind >= 0 && kind <= 5 ? kind : 0,
            startMs,
            durationMs: Math.max(0, endMs - startMs),
            status,
            statusMessage: message,
            attributes: {
              ...attributes(span['attributes']),
              ...(resource['service.instance.id']
                ? { 'service.instance.id': resource['service.instance.id'] }
                : {}),
            },
            events: asArray(span['events'], `${where}.events`)
              .slice(0, 32)
              .map((e) => {
                const ev = (e ?? {}) as Record<string, unknown>;
                return {
                  name: String(ev['name'] ?? ''),
                  timeMs: nanosToMs(ev['timeUnixNano']),
                  attributes: attributes(ev['attributes']),
                };
              }),
          });
        },
      );
    });
  });
  return out;
}

/**
 * Decodes an OTLP/HTTP trace export, `application/x-protobuf` or `application/json`, into spans.
 * Throws an OtlpDecodeError naming the first thing wrong.
 *
 * @example
 * decodeOtlpTraces(body, 'application/json') // [{ traceId: '4bf9...', service: 'auth-service', ... }]
 */
export function decodeOtlpTraces(body: Buffer, contentType: string): ReceivedSpan[] {
  if (contentType.startsWith('application/json')) {
    const bad = invalidUtf8Offset(body);
    if (bad !== null) {
      throw new OtlpDecodeError(
        `the body is not valid UTF-8 (the first bad byte is at offset ${bad}); encode the JSON as UTF-8`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new OtlpDecodeError(`the body is not valid JSON: ${(err as Error).message}`);
    }
    return spansOf(parsed);
  }
  let message: unknown;
  try {
    message = RequestType.decode(body);
  } catch (err) {
    throw new OtlpDecodeError(
      `the body is not an OTLP protobuf ExportTraceServiceRequest: ${(err as Error).message}`,
    );
  }
  return spansOf(message);
}
