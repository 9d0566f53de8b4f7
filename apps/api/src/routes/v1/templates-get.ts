import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { getTemplate } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, IdParamSchema, jsonBody, notFound } from '../../http/schemas';
import { TemplateSchema, toTemplateDto } from './template-schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/templates/{id}',
  tags: ['Templates'],
  summary: 'Get a message template',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema },
  responses: { 200: jsonBody(TemplateSchema, 'The template.'), ...commonErrors, ...notFound },
});

export function registerTemplatesGet(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const template = await getTemplate(deps.db, c.get('auth').organizationId, c.req.valid('param').id);
    if (!template)
      throw new AppError('NOT_FOUND', 'template not found', { userMessage: 'Template not found.' });
    return c.json(toTemplateDto(template), 200);
  });
}
