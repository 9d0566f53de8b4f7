import { createRoute, z } from '@hono/zod-openapi';
import { loadConfig, paymentsEnv } from '@settle/config';
import { listUnappliedPaymentEvents } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { toUnappliedPaymentEventDto, UnappliedPaymentEventSchema } from './payment-event-schemas';

const QuerySchema = PaginationQuerySchema.extend({
  olderThanMinutes: z.coerce
    .number({ error: 'expected a whole number of minutes' })
    .int('expected a whole number of minutes')
    .min(0)
    .max(525_600)
    .optional()
    .openapi({
      param: { name: 'olderThanMinutes', in: 'query' },
      description:
        'Only events received at least this long ago; default PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES (30).',
    }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/payment-events/unapplied',
  tags: ['Payment events'],
  summary: 'List provider payment events not applied some minutes after they arrived',
  description:
    'Stripe and GoCardless events of your organization that were stored but not applied to the books, ' +
    'oldest first, with where each one’s workflow stands. Re-run one with `POST /v1/payment-events/{id}/rerun`.',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    200: jsonBody(
      paginatedSchema(UnappliedPaymentEventSchema, 'UnappliedPaymentEventPage'),
      'A page of events not applied.',
    ),
    ...commonErrors,
  },
});

export function registerPaymentEventsUnapplied(app: ApiApp, deps: ApiDeps): void {
  const defaultMinutes =
    deps.unappliedPaymentEventMinutes ?? loadConfig(paymentsEnv, {}).PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES;
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const page = await listUnappliedPaymentEvents(deps, {
      organizationId: c.get('auth').organizationId,
      olderThanMinutes: query.olderThanMinutes ?? defaultMinutes,
      ...pageOf(query),
    });
    return c.json(pageBody(page, toUnappliedPaymentEventDto), 200);
  });
}
