import { createRoute, z } from '@hono/zod-openapi';
import { listTemplatesPage } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { PaginationQuerySchema, pageBody, pageOf, paginatedSchema } from '../../http/pagination';
import { commonErrors, jsonBody } from '../../http/schemas';
import { TemplateSchema, toTemplateDto } from './template-schemas';

const QuerySchema = PaginationQuerySchema.extend({
  key: z
    .string()
    .max(64)
    .optional()
    .openapi({ param: { name: 'key', in: 'query' } }),
  locale: z
    .string()
    .max(8)
    .optional()
    .openapi({ param: { name: 'locale', in: 'query' } }),
});

const route = createRoute({
  method: 'get',
  path: '/v1/templates',
  tags: ['Templates'],
  summary: 'List message templates',
  security: [{ apiKey: [] }],
  request: { query: QuerySchema },
  responses: {
    200: jsonBody(paginatedSchema(TemplateSchema, 'TemplatePage'), 'A page of templates.'),
    ...commonErrors,
  },
});

export function registerTemplatesList(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const page = await listTemplatesPage(
      deps.db,
      c.get('auth').organizationId,
      { ...(query.key ? { key: query.key } : {}), ...(query.locale ? { locale: query.locale } : {}) },
      pageOf(query),
    );
    return c.json(pageBody(page, toTemplateDto), 200);
  });
}
