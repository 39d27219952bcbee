/** A domain error with a stable code; only the service error handler turns it into HTTP. */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** Extra headers the answer must carry, e.g. `retry-after`. */
  readonly headers: Record<string, string>;
  readonly fieldErrors: { field: string; message: string }[] | undefined;

  constructor(init: {
    code: string;
    status: number;
    title: string;
    detail: string;
    headers?: Record<string, string>;
    fieldErrors?: { field: string; message: string }[];
    cause?: unknown;
  }) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AppError';
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.headers = init.headers ?? {};
    this.fieldErrors = init.fieldErrors;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
