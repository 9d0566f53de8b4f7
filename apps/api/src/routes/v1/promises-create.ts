import { createRoute, z } from '@hono/zod-openapi';
import { promiseInvoicePayment } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import {
  CalendarDateSchema,
  commonErrors,
  conflict,
  IdempotencyHeaderSchema,
  jsonBody,
  jsonRequest,
  notFound,
} from '../../http/schemas';
import { InvoiceIdParamSchema } from './invoice-schemas';
import { PromiseSchema, toPromiseDto } from './promise-schemas';

const CreatePromiseSchema = z
  .object({
    date: CalendarDateSchema,
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .openapi('NewPromiseToPay');

const route = createRoute({
  method: 'post',
  path: '/v1/invoices/{id}/promises',
  tags: ['Promises to pay'],
  summary: 'Record a promise to pay an invoice by a date (reminders wait until then)',
  security: [{ apiKey: [] }],
  request: {
    params: InvoiceIdParamSchema,
    headers: IdempotencyHeaderSchema,
    ...jsonRequest(CreatePromiseSchema),
  },
  responses: { 201: jsonBody(PromiseSchema, 'The promise.'), ...commonErrors, ...notFound, ...conflict },
});

export function registerPromisesCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const body = c.req.valid('json');
    const { promise } = await promiseInvoicePayment(deps, {
      organizationId: auth.organizationId,
      invoiceId: c.req.valid('param').id,
      date: body.date,
      ...(body.note ? { note: body.note } : {}),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toPromiseDto(promise), 201);
  });
}
