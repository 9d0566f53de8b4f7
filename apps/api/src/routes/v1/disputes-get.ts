import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { getDispute } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, IdParamSchema, jsonBody, notFound } from '../../http/schemas';
import { DisputeSchema, toDisputeDto } from './dispute-schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/disputes/{id}',
  tags: ['Disputes'],
  summary: 'Get a dispute',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema },
  responses: { 200: jsonBody(DisputeSchema, 'The dispute.'), ...commonErrors, ...notFound },
});

export function registerDisputesGet(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const dispute = await getDispute(deps.db, c.get('auth').organizationId, c.req.valid('param').id);
    if (!dispute) throw new AppError('NOT_FOUND', 'dispute not found', { userMessage: 'Dispute not found.' });
    return c.json(toDisputeDto(dispute), 200);
  });
}
