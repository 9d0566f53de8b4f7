import { createRoute } from '@hono/zod-openapi';
import { setStatutoryRate } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdempotencyHeaderSchema, jsonBody, jsonRequest } from '../../http/schemas';
import { StatutoryRateInputSchema, StatutoryRateSchema, toStatutoryRateDto } from './statutory-rate-schemas';

const route = createRoute({
  method: 'post',
  path: '/v1/statutory-rates',
  tags: ['Statutory rates'],
  summary: "Add your organization's own rate (a newer one, or a correction of a built-in row of that day)",
  security: [{ apiKey: [] }],
  request: { headers: IdempotencyHeaderSchema, ...jsonRequest(StatutoryRateInputSchema) },
  responses: { 201: jsonBody(StatutoryRateSchema, 'The recorded rate.'), ...commonErrors, ...conflict },
});

export function registerStatutoryRatesCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const body = c.req.valid('json');
    const row = await setStatutoryRate(deps.db, {
      organizationId: auth.organizationId,
      ...body,
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toStatutoryRateDto(row), 201);
  });
}
