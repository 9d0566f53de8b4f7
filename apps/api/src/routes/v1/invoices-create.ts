import { createRoute, z } from '@hono/zod-openapi';
import { CreateInvoiceSchema, createInvoice } from '@settle/core';
import { listInvoiceLines } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdempotencyHeaderSchema, jsonBody, jsonRequest } from '../../http/schemas';
import { InvoiceSchema, toInvoiceDto } from './invoice-schemas';

const CreatedSchema = InvoiceSchema.extend({
  workflowStarted: z.boolean().openapi({
    description:
      'False if Temporal was unreachable; the reminder workflow then starts on the next start-up sweep.',
  }),
}).openapi('CreatedInvoice');

const route = createRoute({
  method: 'post',
  path: '/v1/invoices',
  tags: ['Invoices'],
  summary: 'Create an invoice with its lines and start its reminders',
  security: [{ apiKey: [] }],
  request: { headers: IdempotencyHeaderSchema, ...jsonRequest(CreateInvoiceSchema) },
  responses: { 201: jsonBody(CreatedSchema, 'The created invoice.'), ...commonErrors, ...conflict },
});

export function registerInvoicesCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const { organizationId } = c.get('auth');
    const { invoice, workflowStarted } = await createInvoice(deps, {
      organizationId,
      invoice: c.req.valid('json'),
    });
    const lines = await listInvoiceLines(deps.db, organizationId, invoice.id);
    return c.json({ ...toInvoiceDto(invoice, lines), workflowStarted }, 201);
  });
}
