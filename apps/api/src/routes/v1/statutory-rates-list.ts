import { createRoute, z } from '@hono/zod-openapi';
import { listOrganizationStatutoryRates } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { CalendarDateSchema, commonErrors, jsonBody } from '../../http/schemas';
import { StatutoryRateKindSchema, StatutoryRateSchema, toStatutoryRateDto } from './statutory-rate-schemas';

const QuerySchema = z.object({
  kind: StatutoryRateKindSchema.optional().openapi({ param: { name: 'kind', in: 'query' } }),
  from: CalendarDateSchema.optional().openapi({
    param: { name: 'from', in: 'query' },
    description: 'Start with the rate in force on this day.',
  }),
  to: CalendarDateSchema.optional().openapi({ param: { name: 'to', in: 'query' } }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/statutory-rates',
  tags: ['Statutory rates'],
  summary: 'List the reference rates late charges are computed with (built-in and your own)',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    // A few rows per kind and year: one list, no pages.
    200: jsonBody(
      z.object({ data: z.array(StatutoryRateSchema) }).openapi('StatutoryRateList'),
      'The rates.',
    ),
    ...commonErrors,
  },
});

export function registerStatutoryRatesList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const rows = await listOrganizationStatutoryRates(deps.db, {
      organizationId: c.get('auth').organizationId,
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
    });
    return c.json({ data: rows.map(toStatutoryRateDto) }, 200);
  });
}
