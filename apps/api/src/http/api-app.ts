import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { isTransactionConflict } from '@settle/db';
import type { Context } from 'hono';
import type { ZodError } from 'zod';

/** Who is calling `/v1`: set by the API-key middleware, read by every `/v1` handler. */
export interface ApiAuth {
  organizationId: string;
  apiKeyId: string;
}

/** The Hono environment of the whole app. `auth` is present only under `/v1/*`. */
export interface ApiEnv {
  Variables: {
    auth: ApiAuth;
  };
}

export type ApiApp = OpenAPIHono<ApiEnv>;

/** `[{ field: 'lines.0.quantityMilli', message }]`: the one shape of validation details. */
export function fieldErrors(error: ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // An unknown key is named itself, not the object that holds it.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'unknown field' }));
    }
    // Zod says "Invalid input: expected string, received undefined" for a missing field.
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return [{ field: path.join('.'), message: missing ? 'required' : issue.message }];
  });
}

/**
 * Every route's request validation ends here: a failure becomes a VALIDATION AppError naming each field,
 * which `onError` answers in the one error envelope (and the handler, which writes, never runs).
 */
export function validationHook(result: { success: true } | { success: false; error: ZodError }): void {
  if (result.success) return;
  const details = fieldErrors(result.error);
  throw new AppError(
    'VALIDATION',
    `invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    {
      userMessage: 'The request is invalid; see details.',
      details,
    },
  );
}

export function createApiApp(): ApiApp {
  return new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
}

/** How long a client should wait before retrying a request that lost a race for the same rows. */
export const TRANSACTION_CONFLICT_RETRY_AFTER_SECONDS = 1;

/**
 * A deadlock or serialization failure that survived the transaction's own retries (`inTransaction`)
 * is neither the client's mistake nor a defect to hide behind a 500: the same request will very likely
 * succeed a moment later. It is answered 503 with `Retry-After` and the one error envelope; the
 * idempotency middleware stores no 5xx, so a retry with the same Idempotency-Key runs again.
 * Anything else: null, and the caller answers as usual.
 */
export function transactionConflictResponse(c: Context<ApiEnv>, error: unknown): Response | null {
  if (!isTransactionConflict(error)) return null;
  c.header('Retry-After', String(TRANSACTION_CONFLICT_RETRY_AFTER_SECONDS));
  return c.json(
    {
      error: {
        code: 'UNAVAILABLE',
        message: 'Other changes to the same records were being made at the same moment; retry the request.',
        requestId: c.get('requestId'),
      },
    },
    503,
  );
}
