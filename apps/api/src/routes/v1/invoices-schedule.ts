import { createRoute, z } from '@hono/zod-openapi';
import { previewInvoiceSchedule } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, jsonBody, notFound } from '../../http/schemas';
import { InvoiceIdParamSchema } from './invoice-schemas';
import { SchedulePreviewSchema } from './schedule-schemas';

const RecordedMessageSchema = z
  .object({
    communicationId: z.uuid(),
    stepId: z
      .string()
      .nullable()
      .openapi({ description: 'The planned step it was sent for; null for notices' }),
    stepKey: z.string(),
    channel: z.enum(['email', 'sms', 'letter']),
    status: z.enum(['pending', 'sent', 'failed', 'cancelled']),
    recipient: z.string(),
    subject: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi('RecordedMessage');

const InvoiceScheduleSchema = z
  .object({
    invoice: z.object({
      id: z.uuid(),
      number: z.string(),
      status: z.enum(['open', 'paid', 'void', 'written_off', 'in_collections']),
      currency: z.string(),
      balanceMinor: z.number().int(),
      issueDate: z.string(),
      dueDate: z.string(),
    }),
    customer: z.object({
      id: z.uuid(),
      name: z.string(),
      timeZone: z.string(),
      country: z.string(),
      locale: z.string(),
    }),
    policy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    preview: SchedulePreviewSchema.nullable().openapi({
      description: 'Null when no reminder policy applies.',
    }),
    messages: z.array(RecordedMessageSchema),
  })
  .openapi('InvoiceSchedule');

const route = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}/schedule',
  tags: ['Invoices'],
  summary:
    "An invoice's planned reminders (local date and time, channel, template, why moved, conditions) and the messages already recorded",
  security: [{ apiKey: [] }],
  request: { params: InvoiceIdParamSchema },
  responses: {
    200: jsonBody(z.object({ data: InvoiceScheduleSchema }), 'The schedule.'),
    ...commonErrors,
    ...notFound,
  },
});

export function registerInvoicesSchedule(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const schedule = await previewInvoiceSchedule(deps.db, {
      organizationId: c.get('auth').organizationId,
      invoiceId: c.req.valid('param').id,
      now: new Date(),
    });
    return c.json({ data: schedule }, 200);
  });
}
