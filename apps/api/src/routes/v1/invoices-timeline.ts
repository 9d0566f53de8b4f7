import { createRoute, z } from '@hono/zod-openapi';
import { getInvoiceTimeline } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, jsonBody, notFound } from '../../http/schemas';
import { InvoiceIdParamSchema } from './invoice-schemas';

const at = z.string().openapi({ description: 'ISO date-time' });
const TimelineEventSchema = z
  .discriminatedUnion('kind', [
    z.object({
      at,
      kind: z.literal('message'),
      communicationId: z.uuid(),
      channel: z.enum(['email', 'sms', 'letter']),
      subject: z.string().nullable(),
      status: z.enum(['pending', 'sent', 'failed', 'cancelled']),
      recipient: z.string(),
      stepKey: z.string(),
      error: z.string().nullable(),
    }),
    z.object({
      at,
      kind: z.literal('payment'),
      paymentId: z.uuid(),
      amountMinor: z.number().int(),
      paymentAmountMinor: z.number().int(),
      currency: z.string(),
      provider: z.enum(['stripe', 'gocardless', 'manual']),
      method: z.enum(['card', 'direct_debit', 'bank_transfer', 'other']),
      status: z.string(),
    }),
    z.object({
      at,
      kind: z.literal('dispute'),
      disputeId: z.uuid(),
      reason: z.string(),
      message: z.string(),
      status: z.enum(['open', 'upheld', 'rejected']),
      resolution: z.object({ note: z.string().nullable(), at: z.string() }).nullable(),
    }),
    z.object({
      at,
      kind: z.literal('promise'),
      promiseId: z.uuid(),
      date: z.string(),
      status: z.enum(['active', 'kept', 'missed', 'cancelled']),
      note: z.string().nullable(),
    }),
    z.object({
      at,
      kind: z.literal('status'),
      action: z.string(),
      status: z.enum(['open', 'paid', 'void', 'written_off', 'in_collections']).nullable(),
      actor: z.object({ type: z.string(), id: z.string().nullable() }),
      data: z.record(z.string(), z.unknown()),
    }),
  ])
  .openapi('TimelineEvent');

const route = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}/timeline',
  tags: ['Invoices'],
  summary: "An invoice's history: messages, payments, disputes, promises, status changes (oldest first)",
  security: [{ apiKey: [] }],
  request: { params: InvoiceIdParamSchema },
  responses: {
    200: jsonBody(z.object({ data: z.array(TimelineEventSchema) }).openapi('Timeline'), 'The timeline.'),
    ...commonErrors,
    ...notFound,
  },
});

export function registerInvoicesTimeline(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const events = await getInvoiceTimeline(deps.db, {
      organizationId: c.get('auth').organizationId,
      invoiceId: c.req.valid('param').id,
    });
    return c.json({ data: events }, 200);
  });
}
