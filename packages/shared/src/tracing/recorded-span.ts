import {
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import { hrTimeDuration, isAttributeValue, timeInputToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { KIT_SCOPE } from '../service/trace-context.js';

/** Where a recorded span goes when it ends: the registered SDK's resource, processors and limits. */
export interface SpanSink {
  readonly resource: Resource;
  readonly processors: readonly SpanProcessor[];
  /** `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT` / `OTEL_ATTRIBUTE_COUNT_LIMIT`, as the SDK reads them (128). */
  readonly attributeCountLimit: number;
  /** `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` / `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` (no limit). */
  readonly attributeValueLengthLimit: number;
}

/** The SDK's span limits from the environment, read as its `loadDefaultConfig` reads them. */
export function spanLimitsFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<SpanSink, 'attributeCountLimit' | 'attributeValueLengthLimit'> {
  const read = (names: string[], fallback: number): number => {
    for (const name of names) {
      const raw = env[name]?.trim();
      if (!raw) continue;
      const n = Number(raw);
      if (Number.isFinite(n)) return n;
    }
    return fallback;
  };
  return {
    attributeCountLimit: read(['OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', 'OTEL_ATTRIBUTE_COUNT_LIMIT'], 128),
    attributeValueLengthLimit: read(
      ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'],
      Number.POSITIVE_INFINITY,
    ),
  };
}

/**
 * A sampled span the kit records itself and hands, ended, to the registered SDK's span processors
 * (so it is batched, exported and stored as every other span is). It exists for the gateway's
 * one span per proxied request: the SDK's `Span` (its sampler call, clock, attribute checks and
 * the object graph it keeps until export) made a sampled proxied request cost 4.4 µs in process
 * (bench/gateway/exchange-span.ts) and ~11 µs in the gateway under load, which put tracing at 10%
 * sampling over its budget of 10% of the gateway's throughput. The sampling decision stays the
 * SDK's (`chooseTrace` mirrors it); what this leaves out is what that span does not use: span
 * processors' `onStart` gets the root context, and no context manager ever sees the span.
 */
export class RecordedSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  duration: HrTime = [0, 0];
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly attributes: Attributes;
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  ended = false;
  readonly resource: Resource;
  readonly instrumentationScope = KIT_SCOPE;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  readonly #context: SpanContext;
  readonly #sink: SpanSink;
  #count = 0;

  /**
   * @param startMs `performance.now()` when the work began (any `TimeInput` the SDK takes)
   * @param attributes taken as the span's own (not copied): build a fresh object per span
   */
  constructor(
    sink: SpanSink,
    name: string,
    kind: SpanKind,
    context: SpanContext,
    parent: SpanContext | undefined,
    startMs: TimeInput,
    attributes: Attributes,
  ) {
    this.#sink = sink;
    this.name = name;
    this.kind = kind;
    this.#context = context;
    this.parentSpanContext = parent;
    this.startTime = timeInputToHrTime(startMs);
    this.resource = sink.resource;
    this.attributes = {};
    this.setAttributes(attributes);
    for (const p of sink.processors) p.onStart(this as never, ROOT_CONTEXT as Context);
  }

  spanContext(): SpanContext {
    return this.#context;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** As the SDK's span sets one: ignored once ended, or empty, or not an attribute value; limited. */
  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.ended || value == null || key.length === 0 || !isAttributeValue(value)) return this;
    const attrs = this.attributes;
    if (attrs[key] === undefined) {
      if (this.#count >= this.#sink.attributeCountLimit) {
        this.droppedAttributesCount++;
        return this;
      }
      this.#count++;
    }
    attrs[key] = truncated(value, this.#sink.attributeValueLengthLimit);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const timeGiven =
      attributesOrTime instanceof Date ||
      typeof attributesOrTime === 'number' ||
      Array.isArray(attributesOrTime);
    const at = timeGiven ? (attributesOrTime as TimeInput) : time;
    this.events.push({
      name,
      attributes: timeGiven ? undefined : (attributesOrTime as Attributes | undefined),
      time: timeInputToHrTime(at ?? performance.now()),
      droppedAttributesCount: 0,
    });
    return this;
  }

  addLink(link: Link): this {
    if (!this.ended) this.links.push(link);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (!this.ended && status.code !== SpanStatusCode.UNSET && this.status.code !== SpanStatusCode.OK)
      this.status = status.code === SpanStatusCode.ERROR ? status : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  /** An `exception` event with the attributes the SDK's span gives it (type from `code`, else `name`). */
  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') attributes['exception.message'] = exception;
    else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message'])
      this.addEvent('exception', attributes, time);
  }

  /** Ends the span now (or at `endTime`, read as the SDK reads it) and hands it to the processors. */
  end(endTime?: TimeInput): void {
    if (this.ended) return;
    this.endTime = timeInputToHrTime(endTime ?? performance.now());
    this.duration = hrTimeDuration(this.startTime, this.endTime);
    this.ended = true;
    for (const p of this.#sink.processors) p.onEnd(this);
  }
}

function truncated(value: AttributeValue, limit: number): AttributeValue {
  if (limit === Number.POSITIVE_INFINITY) return value;
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value))
    return value.map((v) =>
      typeof v === 'string' && v.length > limit ? v.slice(0, limit) : v,
    ) as AttributeValue;
  return value;
}
