import { readFileSync, statSync } from 'node:fs';
import { type CliError, usageError } from './cli-error.js';

/** Why a file named on the command line cannot be read, in words (not a stack trace). */
function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The usage error for a file the command line names but that cannot be read.
 *
 * @example
 * fileError('/x.onnx', err, 'the path of an .onnx file') // "Cannot read /x.onnx (no such file); give the path of an .onnx file."
 */
export function fileError(file: string, err: unknown, wanted: string): CliError {
  return usageError(`Cannot read ${file} (${reason(err)}); give ${wanted}.`);
}

/** The size of a regular file the command line names, or a usage error saying why not. */
export function fileSize(file: string, wanted: string): number {
  try {
    const stat = statSync(file);
    if (!stat.isFile())
      throw Object.assign(new Error('not a file'), { code: stat.isDirectory() ? 'EISDIR' : undefined });
    return stat.size;
  } catch (err) {
    throw fileError(file, err, wanted);
  }
}

/** The text of a file the command line names, or a usage error saying why not. */
export function readTextFile(file: string, wanted: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError(file, err, wanted);
  }
}
