import { describe, expect, it } from 'vitest';
import { affineModel } from '../../test/helpers/models.js';
import { fileKind } from './file-kind.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('what a file that is not an ONNX model looks like', () => {
  it('names the formats models are commonly saved in instead', () => {
    expect(fileKind(bytes('PK\x03\x04', 'archive/data.pkl'))).toMatch(/^a ZIP archive \(as PyTorch/);
    expect(fileKind(bytes('\x89HDF\r\n\x1a\n', [0, 0, 0]))).toMatch(/^an HDF5 file \(a Keras \.h5/);
    expect(fileKind(bytes([0x1c, 0, 0, 0], 'TFL3', [0, 0]))).toBe('a TensorFlow Lite model');
    expect(fileKind(bytes([0x80, 0x04, 0x95, 0x10]))).toMatch(/^a Python pickle/);
    const header = '{"w":{"dtype":"F32"}}';
    expect(fileKind(bytes([header.length, 0, 0, 0, 0, 0, 0, 0], header, [0, 0, 0, 0]))).toMatch(
      /^a safetensors/,
    );
    expect(fileKind(Buffer.from('{"weights": [1, 2]}'))).toBe('JSON text');
    expect(fileKind(Buffer.from('name,score\niris,0.9\n'))).toBe('text');
  });

  it('names nothing for bytes it does not recognise, an ONNX model among them', () => {
    expect(fileKind(Uint8Array.from({ length: 64 }, (_, i) => (i * 7919) % 256))).toBeUndefined();
    expect(fileKind(affineModel(2, 1))).toBeUndefined();
  });
});
