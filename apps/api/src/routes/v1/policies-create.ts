import { createRoute } from '@hono/zod-openapi';
import { createPolicyFromPreset, createReminderPolicy } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdempotencyHeaderSchema, jsonBody, jsonRequest } from '../../http/schemas';
import { PolicyInputSchema, PolicySchema, toPolicyDto } from './policy-schemas';

const route = createRoute({
  method: 'post',
  path: '/v1/policies',
  tags: ['Reminder policies'],
  summary:
    'Create a reminder policy from its rules or as a copy of a built-in preset (validated: every problem is named)',
  security: [{ apiKey: [] }],
  request: { headers: IdempotencyHeaderSchema, ...jsonRequest(PolicyInputSchema) },
  responses: { 201: jsonBody(PolicySchema, 'The created policy.'), ...commonErrors, ...conflict },
});

export function registerPoliciesCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const body = c.req.valid('json');
    const common = {
      organizationId: auth.organizationId,
      name: body.name,
      ...(body.isDefault !== undefined ? { isDefault: body.isDefault } : {}),
      ...(body.segment !== undefined ? { segment: body.segment } : {}),
      actor: { type: 'api_key' as const, id: auth.apiKeyId },
    };
    // The schema lets exactly one of policy and preset through.
    const policy = body.preset
      ? await createPolicyFromPreset(deps, { ...common, presetId: body.preset })
      : await createReminderPolicy(deps, { ...common, policy: body.policy });
    return c.json(toPolicyDto(policy), 201);
  });
}
