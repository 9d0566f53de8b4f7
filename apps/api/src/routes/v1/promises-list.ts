import { createRoute, z } from '@hono/zod-openapi';
import { listPromisesToPayPage } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { PromiseSchema, toPromiseDto } from './promise-schemas';

const QuerySchema = PaginationQuerySchema.extend({
  status: z
    .enum(['active', 'kept', 'missed', 'cancelled'])
    .optional()
    .openapi({ param: { name: 'status', in: 'query' } }),
  invoiceId: z
    .uuid({ error: 'expected an invoice id' })
    .optional()
    .openapi({ param: { name: 'invoiceId', in: 'query' } }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/promises',
  tags: ['Promises to pay'],
  summary: 'List promises to pay',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    200: jsonBody(paginatedSchema(PromiseSchema, 'PromisePage'), 'A page of promises.'),
    ...commonErrors,
  },
});

export function registerPromisesList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const page = await listPromisesToPayPage(
      deps.db,
      c.get('auth').organizationId,
      {
        ...(query.status ? { status: query.status } : {}),
        ...(query.invoiceId ? { invoiceId: query.invoiceId } : {}),
      },
      pageOf(query),
    );
    return c.json(pageBody(page, toPromiseDto), 200);
  });
}
