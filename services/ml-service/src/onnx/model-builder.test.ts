import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { affineModel, randomMlp } from '../../test/helpers/models.js';
import { readSignature, supportsBatching, v2Shape } from './signature-reader.js';

describe('ONNX builder and signature reader', () => {
  it('builds a model onnxruntime accepts, with the dynamic batch dimension it declares', async () => {
    const bytes = randomMlp(1, [5, 7, 3]);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['x']);
    const meta = session.inputMetadata[0]!;
    expect(meta.isTensor && meta.shape).toEqual(['N', 5]);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(10), [2, 5]) });
    const probs = out['y']!.data as Float32Array;
    expect(probs.length).toBe(6);
    expect(probs[0]! + probs[1]! + probs[2]!).toBeCloseTo(1, 5);
  });

  it('reads names, datatypes and symbolic dims from the bytes alone', () => {
    const sig = readSignature(randomMlp(2, [4, 3]));
    expect(sig.inputs).toEqual([{ name: 'x', datatype: 'FP32', dims: [{ param: 'N' }, { value: 4 }] }]);
    expect(sig.outputs[0]!.name).toBe('y');
    expect(v2Shape(sig.inputs[0]!.dims)).toEqual([-1, 4]);
    expect(sig.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(supportsBatching(sig)).toBe(true);
    expect(supportsBatching(readSignature(affineModel(1, 1, 2)))).toBe(false);
  });

  it('gives the same bytes for the same spec', () => {
    expect(Buffer.from(randomMlp(3, [4, 8, 2])).equals(Buffer.from(randomMlp(3, [4, 8, 2])))).toBe(true);
  });

  it('explains why bytes are not a model', () => {
    expect(() => readSignature(new TextEncoder().encode('definitely not onnx'))).toThrow(/protobuf|graph/);
    expect(() => readSignature(new Uint8Array(0))).toThrow(/no graph/);
  });
});
