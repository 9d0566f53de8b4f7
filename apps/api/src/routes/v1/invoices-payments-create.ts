import { createRoute, z } from '@hono/zod-openapi';
import { recordOfflinePayment } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import {
  commonErrors,
  conflict,
  IdempotencyHeaderSchema,
  jsonBody,
  jsonRequest,
  MinorUnitsSchema,
  notFound,
} from '../../http/schemas';
import { InvoiceIdParamSchema, InvoiceSchema, toInvoiceDto } from './invoice-schemas';

const OfflinePaymentSchema = z
  .object({
    amountMinor: MinorUnitsSchema.refine((v) => v > 0, 'must be positive'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code such as EUR'),
    reference: z.string().trim().min(1, 'required').max(200).openapi({
      description: "The payment's reference at its source (bank transaction id): a repeat changes nothing.",
    }),
    method: z.enum(['bank_transfer', 'card', 'direct_debit', 'other']).default('bank_transfer'),
    receivedAt: z.iso.datetime({ offset: true, error: 'expected an ISO date-time' }).optional(),
  })
  .openapi('OfflinePayment');

const RecordedSchema = z
  .object({
    paymentId: z.uuid(),
    isNew: z.boolean().openapi({ description: 'False when this reference was already recorded.' }),
    overpaidMinor: z
      .number()
      .int()
      .openapi({ description: 'The part beyond the balance, kept as customer credit.' }),
    invoice: InvoiceSchema,
  })
  .openapi('RecordedPayment');

const route = createRoute({
  method: 'post',
  path: '/v1/invoices/{id}/payments',
  tags: ['Invoices'],
  summary: 'Record a payment received outside the providers (a bank transfer, say)',
  security: [{ apiKey: [] }],
  request: {
    params: InvoiceIdParamSchema,
    headers: IdempotencyHeaderSchema,
    ...jsonRequest(OfflinePaymentSchema),
  },
  responses: {
    201: jsonBody(RecordedSchema, 'The recorded payment.'),
    ...commonErrors,
    ...notFound,
    ...conflict,
  },
});

export function registerInvoicesPaymentsCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const body = c.req.valid('json');
    const result = await recordOfflinePayment(deps, {
      organizationId: auth.organizationId,
      invoiceId: c.req.valid('param').id,
      amountMinor: body.amountMinor,
      currency: body.currency,
      reference: body.reference,
      method: body.method,
      ...(body.receivedAt ? { receivedAt: new Date(body.receivedAt) } : {}),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(
      {
        paymentId: result.paymentId,
        isNew: result.isNew,
        overpaidMinor: result.overpaidMinor,
        invoice: toInvoiceDto(result.invoice),
      },
      201,
    );
  });
}
