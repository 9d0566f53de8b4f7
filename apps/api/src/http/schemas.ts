import { z } from '@hono/zod-openapi';

/** Schemas shared by every route: the error envelope, ids, money, dates. */

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'NOT_FOUND',
        'VALIDATION',
        'CONFLICT',
        'UNAUTHORIZED',
        'FORBIDDEN',
        'RATE_LIMITED',
        'UNAVAILABLE',
        'INTERNAL',
      ]),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

const errorBody = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

/** The error answers every `/v1` route can give; spread into a route's `responses`. */
export const commonErrors = {
  400: errorBody('Invalid request: `details` names each bad field.'),
  401: errorBody('Missing, unknown or revoked API key.'),
  429: errorBody('Rate limit exceeded; see `Retry-After`.'),
  500: errorBody('Internal error (never names internals).'),
} as const;
export const notFound = { 404: errorBody('No such resource in your organization.') } as const;
export const conflict = {
  409: errorBody('Conflicts with the current state, or an Idempotency-Key reuse.'),
} as const;

export const IdParamSchema = z.object({
  id: z.uuid({ error: 'expected an id (uuid)' }).openapi({ param: { name: 'id', in: 'path' } }),
});

export const IdempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description: 'Retries with the same key within 24 h get the first response.',
    }),
});

export const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .openapi({ example: '2026-12-31' });

export const MinorUnitsSchema = z
  .number()
  .int('expected an integer of minor units')
  .refine(Number.isSafeInteger, 'too large')
  .openapi({ description: 'Integer minor units (cents): 1250 is 12.50.' });

/** JSON response with a schema, for a route's `responses`. */
export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** JSON request body, required so a missing or non-JSON body is a validation error. */
export function jsonRequest<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}
