import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { PlainTensor, TensorMap } from './tensor.js';
import type { IoMetadata, WorkerRequest, WorkerResponse } from './worker-protocol.js';

/**
 * One inference worker: owns its own onnxruntime sessions, keyed by model version, and
 * runs them here so the blocking `session.run` never holds the HTTP event loop.
 */

// On Linux a nice value belongs to the calling thread alone, so this lowers only the runs: with
// as many busy workers as cores, a woken worker would otherwise preempt the event loop in the
// middle of a request (elsewhere it would renice the whole process, so it is left alone).
const niceness = (workerData as { niceness?: number } | null)?.niceness ?? 0;
if (niceness > 0 && process.platform === 'linux') {
  try {
    setPriority(0, niceness);
  } catch {
    // not permitted here: the runs keep the normal priority
  }
}

const sessions = new Map<string, ort.InferenceSession>();
const port = parentPort!;

function meta(list: readonly ort.InferenceSession.ValueMetadata[]): IoMetadata[] {
  return list.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, shape: [...m.shape] }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

function toPlain(t: ort.Tensor): PlainTensor {
  return { type: t.type as PlainTensor['type'], dims: [...t.dims], data: t.data as PlainTensor['data'] };
}

function transferList(outputs: TensorMap): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const t of Object.values(outputs)) {
    const d = t.data;
    // Only hand over buffers the tensor owns whole; a view into a shared arena must be copied.
    if (
      !Array.isArray(d) &&
      d.buffer instanceof ArrayBuffer &&
      d.byteOffset === 0 &&
      d.byteLength === d.buffer.byteLength
    ) {
      seen.add(d.buffer);
    }
  }
  return [...seen];
}

async function handle(msg: WorkerRequest): Promise<{ res: WorkerResponse; transfer?: ArrayBuffer[] }> {
  switch (msg.type) {
    case 'load': {
      const previous = sessions.get(msg.key);
      if (previous)
        return {
          res: {
            id: msg.id,
            ok: true,
            inputs: meta(previous.inputMetadata),
            outputsMeta: meta(previous.outputMetadata),
          },
        };
      const session = await ort.InferenceSession.create(msg.model, {
        intraOpNumThreads: msg.settings.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        // Idle onnxruntime threads sleep instead of spinning: the cores are shared with the
        // event loop and the other workers.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
      sessions.set(msg.key, session);
      return {
        res: {
          id: msg.id,
          ok: true,
          inputs: meta(session.inputMetadata),
          outputsMeta: meta(session.outputMetadata),
        },
      };
    }
    case 'unload': {
      const session = sessions.get(msg.key);
      sessions.delete(msg.key);
      await session?.release();
      return { res: { id: msg.id, ok: true } };
    }
    case 'run': {
      const session = sessions.get(msg.key);
      if (!session)
        return { res: { id: msg.id, ok: false, error: `model ${msg.key} is not loaded in this worker` } };
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(msg.feeds)) {
        feeds[name] = new ort.Tensor(t.type, t.data as Float32Array, t.dims);
      }
      const started = performance.now();
      const result = await session.run(feeds);
      const runMs = performance.now() - started;
      const outputs: TensorMap = {};
      for (const [name, t] of Object.entries(result)) outputs[name] = toPlain(t as ort.Tensor);
      return { res: { id: msg.id, ok: true, outputs, runMs }, transfer: transferList(outputs) };
    }
    case 'sleep': {
      const until = Date.now() + msg.ms;
      while (Date.now() < until) {
        // deliberate busy wait, standing in for a long session.run
      }
      return { res: { id: msg.id, ok: true } };
    }
  }
}

port.on('message', (msg: WorkerRequest) => {
  handle(msg).then(
    ({ res, transfer }) => port.postMessage(res, transfer ?? []),
    (err: unknown) =>
      port.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
