import { createRoute, z } from '@hono/zod-openapi';
import { createTemplate } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, IdempotencyHeaderSchema, jsonBody, jsonRequest } from '../../http/schemas';
import { TemplateSchema, toTemplateDto } from './template-schemas';

// Key, channel and locale are checked by createTemplate, which names each bad field (and bad variables).
const SaveTemplateSchema = z
  .object({
    key: z.string().openapi({ example: 'overdue-1' }),
    channel: z.string().openapi({ example: 'email' }),
    locale: z.string().openapi({ example: 'en' }),
    subject: z.string().default(''),
    body: z.string(),
  })
  .openapi('TemplateInput');

const route = createRoute({
  method: 'post',
  path: '/v1/templates',
  tags: ['Templates'],
  summary: 'Create (or replace) the template for a key, channel and locale; variables are validated',
  security: [{ apiKey: [] }],
  request: { headers: IdempotencyHeaderSchema, ...jsonRequest(SaveTemplateSchema) },
  responses: { 201: jsonBody(TemplateSchema, 'The saved template.'), ...commonErrors },
});

export function registerTemplatesCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const template = await createTemplate(deps, {
      organizationId: auth.organizationId,
      ...c.req.valid('json'),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toTemplateDto(template), 201);
  });
}
