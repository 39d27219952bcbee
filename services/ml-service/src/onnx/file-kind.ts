/**
 * What a file that is not an ONNX model most likely is, from its first bytes, as a phrase for an
 * error ("a ZIP archive (…)"); undefined when nothing is recognised. Only a hint: it names the
 * exporter a person needs, it decides nothing.
 *
 * @example
 * fileKind(Buffer.from('PK\x03\x04…')) // 'a ZIP archive (as PyTorch saves .pt/.pth checkpoints and Keras .keras files)'
 */
export function fileKind(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 16));
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04')
    return 'a ZIP archive (as PyTorch saves .pt/.pth checkpoints and Keras .keras files)';
  if (head.subarray(0, 8).toString('latin1') === '\x89HDF\r\n\x1a\n')
    return 'an HDF5 file (a Keras .h5 model)';
  if (head.subarray(4, 8).toString('latin1') === 'TFL3') return 'a TensorFlow Lite model';
  if (head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5)
    return 'a Python pickle (pickle or joblib of a scikit-learn model, or an older PyTorch checkpoint)';
  if (head.length >= 9 && head.readBigUInt64LE(0) < BigInt(bytes.length) && head[8] === 0x7b)
    return 'a safetensors file (weights only, without the graph)';
  const text = textOf(bytes);
  if (text === undefined) return undefined;
  try {
    JSON.parse(text);
    return 'JSON text';
  } catch {
    return 'text';
  }
}

/** The bytes as text when they are UTF-8 without control characters other than whitespace. */
function textOf(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters mark binary data
  return /[\u0000-\u0008\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}
