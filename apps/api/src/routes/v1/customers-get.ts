import { createRoute } from '@hono/zod-openapi';
import { AppError } from '@settle/core';
import { getCustomer } from '@settle/db';
import type { ApiDeps } from '../../deps';
import type { ApiApp } from '../../http/api-app';
import { commonErrors, IdParamSchema, jsonBody, notFound } from '../../http/schemas';
import { CustomerSchema, toCustomerDto } from './customer-schemas';

const route = createRoute({
  method: 'get',
  path: '/v1/customers/{id}',
  tags: ['Customers'],
  summary: 'Get a customer',
  security: [{ apiKey: [] }],
  request: { params: IdParamSchema },
  responses: { 200: jsonBody(CustomerSchema, 'The customer.'), ...commonErrors, ...notFound },
});

export function registerCustomersGet(app: ApiApp, deps: ApiDeps): void {
  app.openapi(route, async (c) => {
    const customer = await getCustomer(deps.db, c.get('auth').organizationId, c.req.valid('param').id);
    if (!customer)
      throw new AppError('NOT_FOUND', 'customer not found', { userMessage: 'Customer not found.' });
    return c.json(toCustomerDto(customer), 200);
  });
}
