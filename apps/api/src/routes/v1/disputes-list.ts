import { createRoute, z } from '@hono/zod-openapi';
import { listDisputesPage } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { DisputeSchema, toDisputeDto } from './dispute-schemas';

const QuerySchema = PaginationQuerySchema.extend({
  status: z
    .enum(['open', 'upheld', 'rejected'])
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
  invoiceId: z
    .uuid({ error: 'expected an invoice id' })
    .optional()
    .openapi({ param: { name: 'invoiceId', in: 'query' } }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/disputes',
  tags: ['Disputes'],
  summary: 'List disputes',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    200: jsonBody(paginatedSchema(DisputeSchema, 'DisputePage'), 'A page of disputes.'),
    ...commonErrors,
  },
});

export function registerDisputesList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const page = await listDisputesPage(
      deps.db,
      c.get('auth').organizationId,
      {
        ...(query.status ? { status: query.status } : {}),
        ...(query.invoiceId ? { invoiceId: query.invoiceId } : {}),
      },
      pageOf(query),
    );
    return c.json(pageBody(page, toDisputeDto), 200);
  });
}
