import { createRoute } from '@hono/zod-openapi';
import { UpdateCustomerSchema, updateCustomer } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdParamSchema, jsonBody, jsonRequest, notFound } from '../../http/schemas';
import { CustomerSchema, toCustomerDto } from './customer-schemas';

const route = createRoute({
  method: 'patch',
  path: '/v1/customers/{id}',
  tags: ['Customers'],
  summary: 'Update a customer (only the fields sent change)',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema, ...jsonRequest(UpdateCustomerSchema) },
  responses: {
    200: jsonBody(CustomerSchema, 'The updated customer.'),
    ...commonErrors,
    ...notFound,
    ...conflict,
  },
});

export function registerCustomersUpdate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const customer = await updateCustomer(deps, {
      organizationId: auth.organizationId,
      customerId: c.req.valid('param').id,
      changes: c.req.valid('json'),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toCustomerDto(customer), 200);
  });
}
