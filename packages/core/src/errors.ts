import { isTransactionConflict } from '@settle/db';

/** The one error type of application functions; edges translate `code` to HTTP status or a page. */
export type AppErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export const APP_ERROR_STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    /** For logs: may name internals. */
    message: string,
    readonly options: { userMessage?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }

  /** For people: never names internals. */
  get userMessage(): string {
    return this.options.userMessage ?? this.message;
  }
}

/**
 * A deadlock or serialization failure that outlasted the transaction's retries (`inTransaction`) is
 * not a fault of the request: as an AppError it is UNAVAILABLE (503), "try again", never a 500.
 * Any other error is returned unchanged.
 */
export function conflictAsUnavailable(error: unknown): unknown {
  if (!isTransactionConflict(error)) return error;
  return new AppError('UNAVAILABLE', error instanceof Error ? error.message : String(error), {
    userMessage: 'We are busy with another change to the same account. Please try again in a moment.',
    cause: error,
  });
}
