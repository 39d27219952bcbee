import { describe, expect, it } from 'vitest';
import { redactPaths } from './redact-paths.js';

describe('redactPaths', () => {
  it.each([
    [
      "ENOENT: no such file or directory, open '/srv/opsmesh/data/ml/ab/ab12.onnx'",
      "ENOENT: no such file or directory, open 'ab12.onnx'",
    ],
    [
      'Non-zero status code returned while running MatMul node. /onnxruntime_src/onnxruntime/core/providers/cpu/math/matmul_helper.h:61 Compute dimension mismatch',
      'Non-zero status code returned while running MatMul node. matmul_helper.h:61 Compute dimension mismatch',
    ],
    ['Load model from file:///work/models/m.onnx failed', 'Load model from m.onnx failed'],
    ['cannot open C:\\models\\weights\\w.bin', 'cannot open w.bin'],
    ['(/etc/passwd)', '(passwd)'],
  ])('%s', (input, expected) => {
    expect(redactPaths(input)).toBe(expected);
    expect(redactPaths(input)).not.toMatch(/(^|[\s'(])\/\w/);
  });

  it('leaves ratios, dates and plain words alone', () => {
    for (const text of ['3/4 of the rows', 'shape [1,4] vs [2,4]', 'and/or', 'x=1/2', 'no paths here']) {
      expect(redactPaths(text)).toBe(text);
    }
  });
});
