import { isAppError } from '@opsmesh/shared';
import { mlErrors } from '../errors.js';
import { OverloadError } from '../inference/micro-batcher.js';
import { namedDimConflict } from '../inference/named-dims.js';
import type { TensorMap } from '../inference/tensor.js';
import { decodeInput, type RequestTensor, TensorValidationError } from '../inference/tensor-codec.js';
import { RunTimeoutError, WorkerLostError, WorkerTaskError } from '../inference/worker-pool.js';
import type { PredictionLogRepository } from '../models/prediction.js';
import { type AnswerLimits, type EncodedAnswer, encodeAnswer, type OutputRequest } from './answer-writer.js';
import type { MlMetrics } from './ml-metrics.js';
import { limitsOf, type ModelLoader, type ServingLimits } from './model-loader.js';
import type { ModelRef } from './model-ref.js';
import { instancesToTensors, shapePredictions } from './predict-shapes.js';
import { logOutputs, summarize } from './prediction-summary.js';
import type { RegistryService, Resolved } from './registry-service.js';
import { explainRuntimeError } from './runtime-message.js';

/**
 * Runs predictions: resolves the version, validates inputs against its signature, sends
 * them through the loader (worker pool + micro-batcher), writes the answer within the version's
 * limits, and records metrics and a sampled prediction log.
 */

export interface InferRequest {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: RequestTensor[];
  outputs?: OutputRequest[];
}

export interface CallContext {
  caller: string;
  requestId: string;
}

/** A request `prepareInfer` resolved and decoded, ready to run. */
export interface PreparedInfer {
  resolved: Resolved;
  feeds: TensorMap;
  rows: number;
  /** `performance.now()` when it was received, for the latency metric. */
  startedAt: number;
}

export interface PredictionDeps {
  registry: RegistryService;
  loader: ModelLoader;
  log: PredictionLogRepository;
  metrics: MlMetrics;
  maxRows: number;
  /** The service's default limits; each version may set its own. */
  limits: ServingLimits;
  /** Writes a large answer off the event loop. */
  encodeOffThread: AnswerLimits['encodeOffThread'];
  /** Log every Nth prediction; 0 turns the log off. */
  sampleEvery: number;
  logger: { warn: (o: object, m: string) => void };
}

export function createPredictionService(deps: PredictionDeps) {
  let counter = 0;
  const pendingLogs = new Set<Promise<void>>();

  /** Decodes and validates, counting refusals as `invalid` in the per-model metrics. */
  function decodeAll(
    resolved: Resolved,
    inputs: RequestTensor[],
    endpoint: string,
  ): { feeds: TensorMap; rows: number } {
    try {
      return decodeChecked(resolved, inputs ?? []);
    } catch (err) {
      count(resolved, endpoint, 'invalid');
      throw err;
    }
  }

  function count(resolved: Resolved, endpoint: string, outcome: string) {
    deps.metrics.requests.inc({
      model: resolved.model.name,
      version: String(resolved.version.version),
      endpoint,
      outcome,
    });
  }

  function decodeChecked(resolved: Resolved, inputs: RequestTensor[]): { feeds: TensorMap; rows: number } {
    const sig = resolved.version.inputs;
    const takes = () => sig.map((s) => `"${s.name}"`).join(', ');
    if (!Array.isArray(inputs) || (inputs.length === 0 && sig.length > 0)) {
      throw mlErrors.ML_INVALID_INPUT({ message: `no inputs given; the model takes ${takes()}` });
    }
    const feeds: TensorMap = {};
    for (const input of inputs) {
      const s = sig.find((x) => x.name === input.name);
      if (!s) {
        throw mlErrors.ML_INVALID_INPUT({
          message:
            sig.length === 0
              ? `unknown input "${input.name}"; the model takes no inputs: send "inputs": []`
              : `unknown input "${input.name}"; the model takes ${takes()}`,
        });
      }
      if (feeds[input.name])
        throw mlErrors.ML_INVALID_INPUT({ message: `input "${input.name}" is given twice` });
      if (input.data === undefined && !input.binary)
        throw mlErrors.ML_INVALID_INPUT({
          message: `input "${input.name}" has no "data" (nor binary_data_size)`,
        });
      try {
        feeds[input.name] = decodeInput(input, s, { maxRows: deps.maxRows });
      } catch (err) {
        if (err instanceof TensorValidationError) throw mlErrors.ML_INVALID_INPUT({ message: err.message });
        throw err;
      }
    }
    const missing = sig.filter((s) => !feeds[s.name]);
    if (missing.length > 0) {
      throw mlErrors.ML_INVALID_INPUT({
        message: `missing input ${missing.map((m) => `"${m.name}"`).join(', ')}`,
      });
    }
    const conflict = namedDimConflict(
      sig,
      Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.dims])),
    );
    if (conflict) throw mlErrors.ML_INVALID_INPUT({ message: conflict });
    const firstDims = Object.values(feeds).map((t) => t.dims[0] ?? 1);
    // Inputs of a version whose requests may be merged must agree on their rows, or a merged
    // run would mix them; inputs with batch dimensions of their own (`batch_a`, `batch_b`) of a
    // version never batched may give different sizes, as the model allows.
    if (new Set(firstDims).size > 1 && deps.loader.neverBatched(resolved.loadable) === undefined) {
      const sizes = Object.entries(feeds).map(([n, t]) => `"${n}" ${t.dims[0] ?? 1}`);
      throw mlErrors.ML_INVALID_INPUT({
        message: `inputs disagree on the batch dimension (${sizes.join(' vs ')}); this version may merge requests by rows, so every input must give the same number: send them so, or set its batching "off"`,
      });
    }
    return { feeds, rows: firstDims[0] ?? 1 };
  }

  async function run(
    resolved: Resolved,
    feeds: TensorMap,
    rows: number,
    endpoint: string,
  ): Promise<TensorMap> {
    const { name } = resolved.model;
    const { version } = resolved.version;
    try {
      const out = await deps.loader.infer(resolved.loadable, feeds, rows);
      count(resolved, endpoint, 'ok');
      return out;
    } catch (err) {
      if (err instanceof OverloadError) {
        count(resolved, endpoint, 'overloaded');
        const retryAfter = err.retryAfterSeconds;
        throw mlErrors.ML_OVERLOADED(
          { name, retryAfter },
          { headers: { 'retry-after': String(retryAfter) } },
        );
      }
      count(resolved, endpoint, 'failed');
      // A model that cannot be read or loaded is the service's failure (5xx), not the caller's.
      if (isAppError(err)) throw err;
      if (err instanceof RunTimeoutError)
        throw mlErrors.ML_RUN_TIMEOUT({ name, version, timeoutMs: err.timeoutMs });
      if (err instanceof WorkerLostError)
        throw mlErrors.ML_WORKER_RESTARTED({ name }, { headers: { 'retry-after': '1' } });
      if (err instanceof WorkerTaskError && err.code === 'OUTPUT_TOO_LARGE') {
        const limits = limitsOf(resolved.loadable, deps.limits);
        const size = err.size!;
        const shapes = size.outputs.map((o) => `"${o.name}" [${o.shape.join(',')}]`).join(', ');
        const overElements = size.elements > limits.maxOutputElements;
        throw mlErrors.ML_OUTPUT_TOO_LARGE({
          name,
          version,
          what: overElements
            ? `${size.elements} elements (${shapes})`
            : `${size.bytes} bytes of tensor data (${shapes})`,
          limit: overElements ? `${limits.maxOutputElements} elements` : `${limits.maxOutputBytes} bytes`,
          setting: overElements ? 'maxOutputElements' : 'maxOutputBytes',
        });
      }
      throw mlErrors.ML_INFERENCE_REJECTED({ message: explainRuntimeError((err as Error).message) });
    }
  }

  /** Summarises the inputs of every Nth request, before the run hands their buffers to a worker. */
  function sample(feeds: TensorMap): ReturnType<typeof summarize> | null {
    if (deps.sampleEvery <= 0 || ++counter % deps.sampleEvery !== 0) return null;
    return summarize(feeds);
  }

  function record(
    resolved: Resolved,
    endpoint: string,
    ctx: CallContext,
    inputSummary: ReturnType<typeof summarize> | null,
    rows: number,
    outputs: ReturnType<typeof logOutputs> | null,
    startedAt: number,
  ) {
    const latencyMs = performance.now() - startedAt;
    deps.metrics.latency.observe({ model: resolved.model.name, endpoint }, latencyMs / 1000);
    if (!inputSummary || !outputs) return;
    // Written after the answer is sent: the log must never slow or fail a prediction.
    const p = deps.log
      .insert(resolved.model.id, {
        model: resolved.model.name,
        version: resolved.version.version,
        endpoint,
        caller: ctx.caller,
        requestId: ctx.requestId,
        latencyMs,
        rows,
        inputSummary,
        outputs,
      })
      .catch((err: Error) => deps.logger.warn({ err: err.message }, 'prediction log write failed'))
      .finally(() => pendingLogs.delete(p));
    pendingLogs.add(p);
  }

  const tooLarge = (resolved: Resolved, what: string, limit: string, setting: string) =>
    mlErrors.ML_OUTPUT_TOO_LARGE({
      name: resolved.model.name,
      version: resolved.version.version,
      what,
      limit,
      setting,
    });

  /** The part of infer after the inputs are decoded: sample, run, write the answer, record. */
  async function inferDecoded(prepared: PreparedInfer, body: InferRequest, ctx: CallContext) {
    const { resolved, feeds, rows, startedAt } = prepared;
    const summary = sample(feeds);
    const out = await run(resolved, feeds, rows, 'v2');
    // Read before the answer is written: a large answer's buffers move to a worker.
    const logged = summary ? logOutputs(resolved.version.outputs, out) : null;
    const limits = limitsOf(resolved.loadable, deps.limits);
    const answer = await encodeAnswer(resolved, body, out, {
      maxOutputElements: limits.maxOutputElements,
      maxOutputBytes: limits.maxOutputBytes,
      encodeOffThread: deps.encodeOffThread,
      tooLarge: (what, limit, setting) => tooLarge(resolved, what, limit, setting),
    });
    record(resolved, 'v2', ctx, summary, rows, logged, startedAt);
    return answer;
  }

  return {
    async infer(ref: ModelRef, body: InferRequest, ctx: CallContext): Promise<EncodedAnswer> {
      const startedAt = performance.now();
      const resolved = await deps.registry.resolve(ref);
      const { feeds, rows } = decodeAll(resolved, body.inputs, 'v2');
      return inferDecoded({ resolved, feeds, rows, startedAt }, body, ctx);
    },

    /**
     * The first half of `infer`: resolves the version and decodes the inputs, throwing what
     * `infer` would throw for them but counting and running nothing. A caller that meets an
     * error here hands the request to `infer` to be answered (and counted) there.
     */
    async prepareInfer(ref: ModelRef, body: InferRequest): Promise<PreparedInfer> {
      const startedAt = performance.now();
      const resolved = await deps.registry.resolve(ref);
      return { resolved, ...decodeChecked(resolved, body.inputs ?? []), startedAt };
    },

    /** The second half of `infer`, for what `prepareInfer` gave. */
    inferPrepared: inferDecoded,

    async predict(ref: ModelRef, instances: unknown, ctx: CallContext) {
      const startedAt = performance.now();
      const resolved = await deps.registry.resolve(ref);
      const { tensors } = instancesToTensors(resolved, instances);
      const { feeds, rows } = decodeAll(resolved, tensors, 'predict');
      const summary = sample(feeds);
      const out = await run(resolved, feeds, rows, 'predict');
      const limits = limitsOf(resolved.loadable, deps.limits);
      const outputs = resolved.version.outputs
        .filter((o) => out[o.name])
        .map((o) => ({ name: o.name, signature: o, tensor: out[o.name]! }));
      const elements = outputs.reduce((n, o) => n + o.tensor.data.length, 0);
      if (elements > limits.maxOutputElements)
        throw tooLarge(
          resolved,
          `${elements} elements`,
          `${limits.maxOutputElements} elements`,
          'maxOutputElements',
        );
      record(
        resolved,
        'predict',
        ctx,
        summary,
        rows,
        summary ? logOutputs(resolved.version.outputs, out) : null,
        startedAt,
      );
      return shapePredictions(resolved, outputs, rows);
    },

    /** Waits for prediction-log writes still in flight (shutdown, tests). */
    async flush() {
      await Promise.all([...pendingLogs]);
    },
  };
}

export type PredictionService = ReturnType<typeof createPredictionService>;
