import { createRoute, z } from '@hono/zod-openapi';
import { listInvoicesPage } from '@settle/db';
import { addDays } from '@settle/domain';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { InvoiceSchema, InvoiceStatusSchema, toInvoiceDto } from './invoice-schemas';

const BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
type Bucket = (typeof BUCKETS)[number];

const QuerySchema = PaginationQuerySchema.extend({
  status: InvoiceStatusSchema.optional().openapi({ param: { name: 'status', in: 'query' } }),
  customerId: z
    .uuid({ error: 'expected a customer id' })
    .optional()
    .openapi({ param: { name: 'customerId', in: 'query' } }),
  overdue: z
    .enum(BUCKETS, { error: `expected one of ${BUCKETS.join(', ')}` })
    .optional()
    .openapi({
      param: { name: 'overdue', in: 'query' },
      description: 'Open invoices by days past due (UTC today): current is not yet due.',
    }),
});

/** Due-date range of an aging bucket on `today` (the same boundaries as the aging report). */
function dueRange(bucket: Bucket, today: string): { dueFrom?: string; dueTo?: string } {
  switch (bucket) {
    case 'current':
      return { dueFrom: today };
    case '1-30':
      return { dueFrom: addDays(today, -30), dueTo: addDays(today, -1) };
    case '31-60':
      return { dueFrom: addDays(today, -60), dueTo: addDays(today, -31) };
    case '61-90':
      return { dueFrom: addDays(today, -90), dueTo: addDays(today, -61) };
    case '90+':
      return { dueTo: addDays(today, -91) };
  }
}

const route = createRoute({
  method: 'get',
  path: '/v1/invoices',
  tags: ['Invoices'],
  summary: 'List invoices by status, customer or overdue bucket',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    200: jsonBody(paginatedSchema(InvoiceSchema, 'InvoicePage'), 'A page of invoices.'),
    ...commonErrors,
  },
});

export function registerInvoicesList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const today = new Date().toISOString().slice(0, 10);
    const page = await listInvoicesPage(
      deps.db,
      c.get('auth').organizationId,
      {
        ...(query.status ? { status: query.status } : {}),
        ...(query.customerId ? { customerId: query.customerId } : {}),
        // An overdue bucket is about money still owed: only open invoices.
        ...(query.overdue ? { status: 'open' as const, ...dueRange(query.overdue, today) } : {}),
      },
      pageOf(query),
    );
    return c.json(
      pageBody(page, (row) => toInvoiceDto(row)),
      200,
    );
  });
}
