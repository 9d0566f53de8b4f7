import { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
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
