import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { getReminderPolicy, listReminderPoliciesPage } from '@settle/db';
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
    const { organizationId } = c.get('auth');
    const page = await listReminderPoliciesPage(deps.db, organizationId, pageOf(c.req.valid('query')));
    // A page holds at most 100 policies, and an organization has a handful: one read each keeps it simple.
    const rows = await Promise.all(
      page.rows.map(async (row) => {
        const full = await getReminderPolicy(deps.db, organizationId, row.id);
        if (!full) throw new AppError('INTERNAL', `policy ${row.id} vanished while listing`);
        return full;
      }),
    );
    return c.json(pageBody({ rows, next: page.next }, toPolicyDto), 200);
  });
}
