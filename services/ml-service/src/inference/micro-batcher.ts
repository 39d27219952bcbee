import { type Attributes, type Context, context, type Link, SpanStatusCode, trace } from '@opentelemetry/api';
import { kitTracer } from '@opsmesh/shared';
import { allocate, elementCount, type PlainTensor, type TensorMap } from './tensor.js';

/**
 * Dynamic micro-batching for one loaded model version. Concurrent requests are merged along
 * dimension 0 into one run, up to `maxBatch` rows, and the outputs are split back to each
 * caller in order. An idle model runs a request at once (no added latency at low load);
 * while runs are in flight, requests gather until none is, until a full batch waits, or for
 * at most `maxDelayMs`. The queue is bounded in rows; past it, `submit` throws
 * OverloadError at once instead of growing memory. With batching off, requests still queue
 * (same bound) but run one by one.
 */

export interface BatchSettings {
  enabled: boolean;
  maxBatch: number;
  maxDelayMs: number;
  maxQueueRows: number;
  /** Batches of this model running at the same time (normally the worker count). */
  maxInFlight: number;
}

export class OverloadError extends Error {
  constructor(
    readonly queuedRows: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`inference queue is full (${queuedRows} rows waiting)`);
  }
}

export interface BatchStats {
  rows: number;
  requests: number;
  runMs: number;
}

export interface MicroBatcher {
  submit(feeds: TensorMap, rows: number): Promise<TensorMap>;
  queuedRows(): number;
  inFlight(): number;
}

type Job = {
  feeds: TensorMap;
  rows: number;
  shapeKey: string;
  resolve: (out: TensorMap) => void;
  reject: (err: Error) => void;
  /** The caller's trace context: the run's span is a child of the first sampled one. */
  ctx: Context;
};

/**
 * The span of one model run, a child of the first caller's trace that is sampled and linked to
 * the other callers' spans (a batch serves several traces at once). The worker thread has no
 * tracer of its own, so the span is made here around its run, with the worker's own run time.
 */
function startRunSpan(batch: readonly Job[], rows: number, attributes: Attributes) {
  const recording = batch.find((j) => trace.getSpan(j.ctx)?.isRecording());
  const parent = recording?.ctx ?? batch[0]!.ctx;
  const links: Link[] = [];
  for (const j of batch) {
    const sc = j !== recording ? trace.getSpanContext(j.ctx) : undefined;
    if (sc && trace.isSpanContextValid(sc)) links.push({ context: sc });
  }
  return kitTracer().startSpan(
    `onnx.run ${attributes['opsmesh.onnx.model'] ?? ''}`.trim(),
    {
      attributes: {
        ...attributes,
        'opsmesh.onnx.batch_size': rows,
        'opsmesh.onnx.batch_requests': batch.length,
      },
      links,
    },
    parent,
  );
}

function shapeKey(feeds: TensorMap): string {
  return Object.keys(feeds)
    .sort()
    .map((k) => `${k}:${feeds[k]!.type}:${feeds[k]!.dims.slice(1).join('x')}`)
    .join('|');
}

function concat(jobs: readonly Job[], name: string, rows: number): PlainTensor {
  const first = jobs[0]!.feeds[name]!;
  const dims = [rows, ...first.dims.slice(1)];
  const data = allocate(first.type, elementCount(dims));
  let offset = 0;
  for (const j of jobs) {
    const part = j.feeds[name]!.data;
    if (Array.isArray(data)) {
      for (let i = 0; i < part.length; i++) data[offset + i] = (part as string[])[i]!;
    } else (data as Float32Array).set(part as Float32Array, offset);
    offset += part.length;
  }
  return { type: first.type, dims, data };
}

/** Why the outputs of a merged run cannot be split by rows (despite the check at load), or undefined. */
function misaligned(outputs: TensorMap, rows: number): string | undefined {
  for (const [name, t] of Object.entries(outputs)) {
    if (t.dims[0] !== rows || elementCount(t.dims) !== t.data.length)
      return `output "${name}" has shape [${t.dims.join(',')}] for a batch of ${rows} rows`;
  }
  return undefined;
}

function slice(t: PlainTensor, startRow: number, rows: number): PlainTensor {
  const rowSize = elementCount(t.dims.slice(1));
  const data = t.data.slice(startRow * rowSize, (startRow + rows) * rowSize) as PlainTensor['data'];
  return { type: t.type, dims: [rows, ...t.dims.slice(1)], data };
}

export function createMicroBatcher(
  initial: BatchSettings,
  /** One run; `requests` is how many callers share it (their answers' bounds add up). */
  run: (feeds: TensorMap, requests: number) => Promise<{ outputs: TensorMap; runMs: number }>,
  onBatch?: (stats: BatchStats) => void,
  /** Attributes of each run's span: `opsmesh.onnx.model`, `opsmesh.onnx.version`. */
  spanAttributes: Attributes = {},
  /** A merged run whose outputs could not be split: batching stops for this version. */
  onMisaligned?: (reason: string) => void,
): MicroBatcher {
  const settings = { ...initial };
  const queue: Job[] = [];
  let queued = 0;
  let running = 0;
  let timer: NodeJS.Timeout | undefined;
  let due = false;

  const takeBatch = (): Job[] => {
    const head = queue[0]!;
    if (!settings.enabled) {
      queue.shift();
      return [head];
    }
    const batch: Job[] = [];
    let rows = 0;
    for (let i = 0; i < queue.length; ) {
      const job = queue[i]!;
      if (job.shapeKey !== head.shapeKey) {
        i++;
        continue;
      }
      // The head always goes, even when it alone exceeds maxBatch (its size was validated already).
      if (batch.length > 0 && rows + job.rows > settings.maxBatch) break;
      batch.push(job);
      rows += job.rows;
      queue.splice(i, 1);
    }
    return batch;
  };

  const execute = async (batch: Job[]) => {
    const rows = batch.reduce((n, j) => n + j.rows, 0);
    queued -= rows;
    running++;
    const span = startRunSpan(batch, rows, spanAttributes);
    try {
      const feeds: TensorMap =
        batch.length === 1
          ? batch[0]!.feeds
          : Object.fromEntries(Object.keys(batch[0]!.feeds).map((n) => [n, concat(batch, n, rows)]));
      const { outputs, runMs } = await run(feeds, batch.length);
      span.setAttribute('opsmesh.onnx.run_ms', runMs);
      onBatch?.({ rows, requests: batch.length, runMs });
      const wrong = batch.length > 1 ? misaligned(outputs, rows) : undefined;
      if (batch.length === 1) {
        batch[0]!.resolve(outputs);
      } else if (wrong) {
        // Never hand out slices that may belong to someone else: answer each request on its own.
        settings.enabled = false;
        onMisaligned?.(wrong);
        for (const job of batch) {
          await run(job.feeds, 1).then(
            (r) => job.resolve(r.outputs),
            (err: Error) => job.reject(err),
          );
        }
      } else {
        let start = 0;
        for (const job of batch) {
          const mine: TensorMap = {};
          for (const [name, t] of Object.entries(outputs)) mine[name] = slice(t, start, job.rows);
          start += job.rows;
          job.resolve(mine);
        }
      }
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      for (const job of batch) job.reject(err as Error);
    } finally {
      span.end();
      running--;
      pump();
    }
  };

  const pump = () => {
    while (queue.length > 0 && running < settings.maxInFlight) {
      // Nothing running for this model: go now, so a lone request never waits for company.
      // Otherwise rows gather while batches compute, and go once none is running, when a full
      // batch is waiting (a second worker is worth waking), or after maxDelayMs. Waking an
      // idle worker for every few rows would pay the model's fixed per-run cost (every weight
      // read once) over and over, on the very cores the event loop needs.
      const ready = !settings.enabled || running === 0 || queued >= settings.maxBatch || due;
      if (!ready) break;
      due = false;
      void execute(takeBatch());
    }
    if (queue.length === 0 || due) {
      if (timer) clearTimeout(timer);
      timer = undefined;
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        due = true;
        pump();
      }, settings.maxDelayMs);
    }
  };
  return {
    submit(feeds, rows) {
      if (queued + rows > settings.maxQueueRows) {
        return Promise.reject(new OverloadError(queued, 1));
      }
      return new Promise<TensorMap>((resolve, reject) => {
        queue.push({ feeds, rows, shapeKey: shapeKey(feeds), resolve, reject, ctx: context.active() });
        queued += rows;
        pump();
      });
    },
    queuedRows: () => queued,
    inFlight: () => running,
  };
}
