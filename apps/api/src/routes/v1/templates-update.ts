import { createRoute, z } from '@hono/zod-openapi';
import { updateTemplate } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, IdParamSchema, jsonBody, jsonRequest, notFound } from '../../http/schemas';
import { TemplateSchema, toTemplateDto } from './template-schemas';

const ChangeTemplateSchema = z
  .object({ subject: z.string().optional(), body: z.string().optional() })
  .strict()
  .openapi('TemplateChange');

const route = createRoute({
  method: 'patch',
  path: '/v1/templates/{id}',
  tags: ['Templates'],
  summary: "Change a template's subject or body (validated)",
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema, ...jsonRequest(ChangeTemplateSchema) },
  responses: { 200: jsonBody(TemplateSchema, 'The updated template.'), ...commonErrors, ...notFound },
});

export function registerTemplatesUpdate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const template = await updateTemplate(deps, {
      organizationId: auth.organizationId,
      templateId: c.req.valid('param').id,
      changes: c.req.valid('json'),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toTemplateDto(template), 200);
  });
}
