import { createRoute } from '@hono/zod-openapi';
import { AppError, policyFieldOf, updateReminderPolicy } from '@settle/core';
import { getReminderPolicy } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdParamSchema, jsonBody, jsonRequest, notFound } from '../../http/schemas';
import { PolicyReplacementSchema, PolicySchema, toPolicyDto } from './policy-schemas';

const route = createRoute({
  method: 'put',
  path: '/v1/policies/{id}',
  tags: ['Reminder policies'],
  summary: "Replace a reminder policy's settings and steps (validated); open invoices re-plan at once",
  security: [{ apiKey: [] }],
  request: {
    params: IdParamSchema,
    ...jsonRequest(PolicyReplacementSchema),
  },
  responses: {
    200: jsonBody(PolicySchema, 'The updated policy.'),
    ...commonErrors,
    ...notFound,
    ...conflict,
  },
});

/** The use-case names rules by the domain's path (`steps[1].channel`); the API names body fields. */
function withBodyFieldNames(error: AppError): AppError {
  const details = Array.isArray(error.options.details)
    ? (error.options.details as { field: string; message: string }[])
    : [];
  return new AppError('VALIDATION', error.message, {
    userMessage: 'The policy is invalid; see details.',
    details: details.map((d) => ({
      field: d.field === 'name' || d.field === 'segment' ? d.field : policyFieldOf(d.field),
      message: d.message,
    })),
    cause: error,
  });
}

export function registerPoliciesUpdate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const body = c.req.valid('json');
    const { id } = c.req.valid('param');
    await updateReminderPolicy(deps, {
      organizationId: auth.organizationId,
      policyId: id,
      name: body.name,
      segment: body.segment ?? null,
      policy: body.policy,
      actor: { type: 'api_key', id: auth.apiKeyId },
    }).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'VALIDATION' ? withBodyFieldNames(error) : error;
    });
    const policy = await getReminderPolicy(deps.db, auth.organizationId, id);
    if (!policy) throw new AppError('INTERNAL', `policy ${id} vanished after updating`);
    return c.json(toPolicyDto(policy), 200);
  });
}
