import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('templates API errors', () => {
  it('names an unknown variable, a bad channel and a bad locale, and stores nothing', async () => {
    const response = await h.request('POST', '/v1/templates', {
      body: { key: 'broken', channel: 'fax', locale: 'xx', subject: 'Hi', body: 'Dear {{customer.nmae}}' },
    });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['channel', 'locale', 'body']));
    expect(JSON.stringify(response.body.error.details)).toContain('customer.nmae');
    const rows = await h.db.selectFrom('templates').select('id').where('key', '=', 'broken').execute();
    expect(rows).toHaveLength(0);
  });

  it('refuses a broken change and keeps the stored body', async () => {
    const created = await h.request('POST', '/v1/templates', {
      body: { key: 'keep', channel: 'sms', locale: 'en', body: 'Pay {{invoice.balance}}: {{portal.url}}' },
    });
    const response = await h.request('PATCH', `/v1/templates/${created.body.id}`, {
      body: { body: 'Pay {{invoice.balance' },
    });
    expect(response.status).toBe(400);
    expect((await h.request('GET', `/v1/templates/${created.body.id}`)).body.body).toBe(created.body.body);
  });

  it('names a missing body field', async () => {
    const response = await h.request('POST', '/v1/templates', {
      body: { key: 'x', channel: 'sms', locale: 'en' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'body', message: expect.any(String) }]);
  });
});
