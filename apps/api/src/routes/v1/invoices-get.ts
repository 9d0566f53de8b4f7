import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { getInvoice, listInvoiceLines } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, jsonBody, notFound } from '../../http/schemas';
import { InvoiceIdParamSchema, InvoiceSchema, toInvoiceDto } from './invoice-schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}',
  tags: ['Invoices'],
  summary: 'Get an invoice with its lines',
  security: [{ apiKey: [] }],
  request: { params: InvoiceIdParamSchema },
  responses: { 200: jsonBody(InvoiceSchema, 'The invoice.'), ...commonErrors, ...notFound },
});

export function registerInvoicesGet(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const { organizationId } = c.get('auth');
    const { id } = c.req.valid('param');
    const invoice = await getInvoice(deps.db, organizationId, id);
    if (!invoice) throw new AppError('NOT_FOUND', 'invoice not found', { userMessage: 'Invoice not found.' });
    const lines = await listInvoiceLines(deps.db, organizationId, id);
    return c.json(toInvoiceDto(invoice, lines), 200);
  });
}
