import { createRoute, z } from '@hono/zod-openapi';
import { listCustomersPage } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { CustomerSchema, toCustomerDto } from './customer-schemas';

const QuerySchema = PaginationQuerySchema.extend({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ param: { name: 'q', in: 'query' }, description: 'Search: part of the code, name or e-mail.' }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/customers',
  tags: ['Customers'],
  summary: 'List or search customers',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    200: jsonBody(paginatedSchema(CustomerSchema, 'CustomerPage'), 'A page of customers.'),
    ...commonErrors,
  },
});

export function registerCustomersList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const page = await listCustomersPage(
      deps.db,
      c.get('auth').organizationId,
      query.q ? { q: query.q } : {},
      pageOf(query),
    );
    return c.json(pageBody(page, toCustomerDto), 200);
  });
}
