import { createRoute, z } from '@hono/zod-openapi';
import { resolveInvoiceDispute } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import {
  commonErrors,
  IdempotencyHeaderSchema,
  IdParamSchema,
  jsonBody,
  jsonRequest,
  notFound,
} from '../../http/schemas';
import { DisputeSchema, toDisputeDto } from './dispute-schemas';

const ResolveSchema = z
  .object({
    outcome: z.enum(['upheld', 'rejected'], { error: 'expected upheld (voids the invoice) or rejected' }),
    note: z.string().trim().min(1, 'required: the answer the debtor gets').max(2000),
  })
  .openapi('DisputeResolution');

const route = createRoute({
  method: 'post',
  path: '/v1/disputes/{id}/resolve',
  tags: ['Disputes'],
  summary: 'Resolve an open dispute: upheld voids the invoice, rejected resumes reminders',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema, headers: IdempotencyHeaderSchema, ...jsonRequest(ResolveSchema) },
  responses: { 200: jsonBody(DisputeSchema, 'The resolved dispute.'), ...commonErrors, ...notFound },
});

export function registerDisputesResolve(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const body = c.req.valid('json');
    const { dispute } = await resolveInvoiceDispute(deps, {
      organizationId: auth.organizationId,
      disputeId: c.req.valid('param').id,
      outcome: body.outcome,
      note: body.note,
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toDisputeDto(dispute), 200);
  });
}
