import { createRoute } from '@hono/zod-openapi';
import { closeInvoice } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdempotencyHeaderSchema, jsonBody, notFound } from '../../http/schemas';
import { InvoiceIdParamSchema, InvoiceSchema, toInvoiceDto } from './invoice-schemas';

function closeRoute(action: 'void' | 'write-off') {
  return createRoute({
    method: 'post',
    path: `/v1/invoices/{id}/${action}`,
    tags: ['Invoices'],
    summary:
      action === 'void'
        ? 'Void an open invoice (its reminders end)'
        : 'Write an open invoice off (its reminders end)',
    security: [{ apiKey: [] }],
    request: { params: InvoiceIdParamSchema, headers: IdempotencyHeaderSchema },
    responses: {
      200: jsonBody(InvoiceSchema, 'The closed invoice.'),
      ...commonErrors,
      ...notFound,
      ...conflict,
    },
  });
}

function register(app: ApiApp, deps: ApiDeps, action: 'void' | 'write-off'): void {
  app.openapi(closeRoute(action), async (c) => {
    const auth = c.get('auth');
    const invoice = await closeInvoice(deps, {
      organizationId: auth.organizationId,
      invoiceId: c.req.valid('param').id,
      as: action === 'void' ? 'voided' : 'written_off',
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toInvoiceDto(invoice), 200);
  });
}

export function registerInvoicesVoid(app: ApiApp, deps: ApiDeps): void {
  register(app, deps, 'void');
}

export function registerInvoicesWriteOff(app: ApiApp, deps: ApiDeps): void {
  register(app, deps, 'write-off');
}
