import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { getReminderPolicy } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, IdParamSchema, jsonBody, notFound } from '../../http/schemas';
import { PolicySchema, toPolicyDto } from './policy-schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/policies/{id}',
  tags: ['Reminder policies'],
  summary: 'Get a reminder policy',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema },
  responses: { 200: jsonBody(PolicySchema, 'The policy.'), ...commonErrors, ...notFound },
});

export function registerPoliciesGet(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const policy = await getReminderPolicy(deps.db, c.get('auth').organizationId, c.req.valid('param').id);
    if (!policy) throw new AppError('NOT_FOUND', 'policy not found', { userMessage: 'Policy not found.' });
    return c.json(toPolicyDto(policy), 200);
  });
}
