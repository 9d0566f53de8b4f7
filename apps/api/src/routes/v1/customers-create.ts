import { createRoute } from '@hono/zod-openapi';
import { CreateCustomerSchema, createCustomer } from '@settle/core';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, conflict, IdempotencyHeaderSchema, jsonBody, jsonRequest } from '../../http/schemas';
import { CustomerSchema, toCustomerDto } from './customer-schemas';

const route = createRoute({
  method: 'post',
  path: '/v1/customers',
  tags: ['Customers'],
  summary: 'Create a customer',
  security: [{ apiKey: [] }],
  request: { headers: IdempotencyHeaderSchema, ...jsonRequest(CreateCustomerSchema) },
  responses: { 201: jsonBody(CustomerSchema, 'The created customer.'), ...commonErrors, ...conflict },
});

export function registerCustomersCreate(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const auth = c.get('auth');
    const customer = await createCustomer(deps, {
      organizationId: auth.organizationId,
      customer: c.req.valid('json'),
      actor: { type: 'api_key', id: auth.apiKeyId },
    });
    return c.json(toCustomerDto(customer), 201);
  });
}
