import { createRoute, z } from '@hono/zod-openapi';
import { changeInvoice } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import {
  CalendarDateSchema,
  commonErrors,
  conflict,
  jsonBody,
  jsonRequest,
  MinorUnitsSchema,
  notFound,
} from '../../http/schemas';
import { InvoiceIdParamSchema, InvoiceSchema, toInvoiceDto } from './invoice-schemas';

const ChangeInvoiceSchema = z
  .object({
    dueDate: CalendarDateSchema.optional(),
    totalMinor: MinorUnitsSchema.optional(),
  })
  .strict()
  .openapi('InvoiceChange');

const route = createRoute({
  method: 'patch',
  path: '/v1/invoices/{id}',
  tags: ['Invoices'],
  summary: "Change an open invoice's due date or amount (its reminders re-plan)",
  security: [{ apiKey: [] }],
  request: {
    params: InvoiceIdParamSchema,
    ...jsonRequest(ChangeInvoiceSchema),
  },
  responses: {
    200: jsonBody(InvoiceSchema, 'The changed invoice.'),
    ...commonErrors,
    ...notFound,
    ...conflict,
  },
});

export function registerInvoicesUpdate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const invoice = await changeInvoice(deps, {
      organizationId: auth.organizationId,
      invoiceId: c.req.valid('param').id,
      changes: c.req.valid('json'),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toInvoiceDto(invoice), 200);
  });
}
