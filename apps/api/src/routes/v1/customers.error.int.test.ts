import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBody } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const countCustomers = async () =>
  (
    await h.db
      .selectFrom('customers')
      .select('id')
      .where('organization_id', '=', h.tenant.organization.id)
      .execute()
  ).length;

describe('customers API errors', () => {
  it('names every bad field and writes nothing', async () => {
    const before = await countCustomers();
    const response = await h.request('POST', '/v1/customers', {
      body: {
        name: 'No Code',
        email: 'not-an-email',
        country: 'Germany',
        locale: 'xx',
        timeZone: 'Mars/Base',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION');
    const fields = response.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['code', 'country', 'email', 'locale', 'timeZone']);
    expect(response.body.error.details).toContainEqual({ field: 'code', message: 'required' });
    expect(await countCustomers()).toBe(before);
  });

  it('answers 409 naming code when the code is taken', async () => {
    const body = customerBody();
    expect((await h.request('POST', '/v1/customers', { body })).status).toBe(201);
    const again = await h.request('POST', '/v1/customers', { body: { ...body, name: 'Someone else' } });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([{ field: 'code', message: expect.any(String) }]);
  });

  it('answers 404 for an unknown customer and 400 naming id for a malformed one', async () => {
    const unknown = await h.request('GET', '/v1/customers/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    const malformed = await h.request('PATCH', '/v1/customers/not-a-uuid', { body: { name: 'x' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual([{ field: 'id', message: expect.any(String) }]);
  });

  it('refuses an update with a bad field and leaves the customer as it was', async () => {
    const created = await h.request('POST', '/v1/customers', { body: customerBody() });
    const response = await h.request('PATCH', `/v1/customers/${created.body.id}`, {
      body: { name: 'Renamed', phone: '12345' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'phone', message: expect.any(String) }]);
    const read = await h.request('GET', `/v1/customers/${created.body.id}`);
    expect(read.body.name).toBe(created.body.name);
  });
});
