import { createRoute } from '@hono/zod-openapi';
import { listReminderPoliciesPage } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { PolicySchema, toPolicyDto } from './policy-schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/policies',
  tags: ['Reminder policies'],
  summary: 'List reminder policies with their steps',
  security: [{ apiKey: [] }],
  request: { query: PaginationQuerySchema },
  responses: {
    200: jsonBody(paginatedSchema(PolicySchema, 'PolicyPage'), 'A page of policies.'),
    ...commonErrors,
  },
});

export function registerPoliciesList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const page = await listReminderPoliciesPage(
      deps.db,
      c.get('auth').organizationId,
      pageOf(c.req.valid('query')),
    );
    return c.json(pageBody(page, toPolicyDto), 200);
  });
}
