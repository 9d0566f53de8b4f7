import { createRoute, z } from '@hono/zod-openapi';
import { rerunPaymentEvent } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import {
  commonErrors,
  ErrorSchema,
  IdempotencyHeaderSchema,
  IdParamSchema,
  jsonBody,
  notFound,
} from '../../http/schemas';

const RerunSchema = z
  .object({
    outcome: z.enum(['started', 'already_running', 'already_applied']).openapi({
      description:
        '`started`: a new run applies the event; `already_running`: a run is in flight (retrying), nothing ' +
        'started; `already_applied`: the event is in the books, nothing started.',
    }),
    workflowId: z.string(),
  })
  .openapi('PaymentEventRerun');

const route = createRoute({
  method: 'post',
  path: '/v1/payment-events/{id}/rerun',
  tags: ['Payment events'],
  summary: 'Run a payment event that was not applied again',
  description:
    'Starts the event’s workflow again when its last run failed, timed out or was terminated, or when it ' +
    'never started. An applied event is never applied twice.',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
  responses: {
    200: jsonBody(RerunSchema, 'What the re-run did.'),
    ...commonErrors,
    ...notFound,
    503: jsonBody(ErrorSchema, 'Temporal cannot be reached; nothing was started. Try again.'),
  },
});

export function registerPaymentEventsRerun(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const result = await rerunPaymentEvent(deps, {
      organizationId: auth.organizationId,
      webhookEventId: c.req.valid('param').id,
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(result, 200);
  });
}
