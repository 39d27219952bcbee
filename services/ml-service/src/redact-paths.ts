/**
 * Strips absolute server paths from text that comes from elsewhere (the runtime's messages, file
 * system errors) before it reaches an answer: `/srv/opsmesh/data/ml/ab/ab12.onnx` becomes
 * `ab12.onnx`, so an error never tells a caller where the server keeps its files.
 *
 * @example
 * redactPaths("ENOENT: no such file or directory, open '/srv/data/w.bin'") // "ENOENT: ... open 'w.bin'"
 */
const POSIX = /(?<![\w.~/:-])(?:file:\/\/)?\/(?:[^\s'"`()<>[\]{},;:/\\]+\/)*([^\s'"`()<>[\]{},;:/\\]+)/g;
const WINDOWS = /\b[A-Za-z]:\\(?:[^\s'"`()<>[\]{},;:\\]+\\)*([^\s'"`()<>[\]{},;:\\]+)/g;

export function redactPaths(text: string): string {
  return text.replace(POSIX, '$1').replace(WINDOWS, '$1');
}
