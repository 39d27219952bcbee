import { cliHints } from './cli-hints.js';

/**
 * Exit codes, one per kind of failure, so a script can tell "log in again" from "no such model"
 * without reading the message. Listed in the README; never renumbered.
 */
export const EXIT = {
  ok: 0,
  /** Anything not covered below (a bug, an unexpected answer). */
  failure: 1,
  /** The command line itself: unknown command or option, missing argument. */
  usage: 2,
  /** Not logged in, or the session ended (401). */
  auth: 3,
  /** Logged in but not allowed (403). */
  forbidden: 4,
  /** The thing named does not exist (404). */
  notFound: 5,
  /** The platform refused the input (400, 413, 415, 422). */
  invalid: 6,
  /** The change conflicts with the current state (409), or the data directory is in use. */
  conflict: 7,
  /** Too many requests (429): wait and retry. */
  rateLimited: 8,
  /** The platform failed or a service behind the gateway is unavailable (5xx). */
  server: 9,
  /** The gateway could not be reached at all. */
  unreachable: 10,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An RFC 9457 problem as the platform sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: { field?: string; message?: string }[];
}

/** A failure the CLI reports and exits on: the message for people, the problem for --json. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly problem?: Problem,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The exit code for an HTTP error status. */
export function exitCodeFor(status: number): ExitCode {
  if (status === 401) return EXIT.auth;
  if (status === 403) return EXIT.forbidden;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 429) return EXIT.rateLimited;
  if (status >= 500) return EXIT.server;
  if (status >= 400) return EXIT.invalid;
  return EXIT.failure;
}

/**
 * The error for a problem answer: its title and detail, the field errors, and the request id to
 * quote when asking for help.
 *
 * @example
 * problemError({ status: 404, title: 'Model not found', detail: 'No model named "x".' })
 * // message: 'Model not found: No model named "x".', exitCode 5
 */
export function problemError(problem: Problem, status: number): CliError {
  const detail = problem.detail && cliHints(problem.detail);
  // A detail that restates its title ("Not a loadable ONNX model: The upload is not a loadable
  // ONNX model: ...") is shown alone, and a field error the detail already says is not repeated.
  const restated = Boolean(
    detail && problem.title && detail.toLowerCase().includes(problem.title.toLowerCase()),
  );
  const lines = [
    (restated ? detail : [problem.title, detail].filter(Boolean).join(': ')) || `HTTP ${status}`,
  ];
  for (const e of problem.errors ?? []) {
    if (detail && e.message && detail.includes(e.message)) continue;
    lines.push(`  ${e.field ? `${e.field}: ` : ''}${e.message ?? ''}`);
  }
  const ids = [problem.code, problem.requestId ? `request ${problem.requestId}` : undefined].filter(Boolean);
  if (ids.length) lines.push(`  (${ids.join(', ')})`);
  return new CliError(lines.join('\n'), exitCodeFor(status), { ...problem, status });
}
