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
