import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

describe("templates: a tenant never reaches another tenant's templates", () => {
  it('answers 404 to reading or changing it, never lists it, and the template is unchanged', async () => {
    const created = await h.request('POST', '/v1/templates', {
      body: { key: 'mine', channel: 'sms', locale: 'en', body: 'Pay {{invoice.balance}}: {{portal.url}}' },
    });
    const as = { apiKey: other.apiKey };
    expect((await h.request('GET', `/v1/templates/${created.body.id}`, as)).status).toBe(404);
    const change = await h.request('PATCH', `/v1/templates/${created.body.id}`, {
      ...as,
      body: { body: 'Pay us instead: {{portal.url}}' },
    });
    expect(change.status).toBe(404);
    expect((await h.request('GET', '/v1/templates?key=mine', as)).body.data).toEqual([]);
    expect((await h.request('GET', `/v1/templates/${created.body.id}`)).body.body).toBe(created.body.body);
  });

  it("saving a template with the same key writes the caller's own copy, never the other tenant's", async () => {
    const mine = await h.request('POST', '/v1/templates', {
      body: { key: 'shared-key', channel: 'sms', locale: 'en', body: 'Mine {{portal.url}}' },
    });
    const theirs = await h.request('POST', '/v1/templates', {
      apiKey: other.apiKey,
      body: { key: 'shared-key', channel: 'sms', locale: 'en', body: 'Theirs {{portal.url}}' },
    });
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await h.request('GET', `/v1/templates/${mine.body.id}`)).body.body).toBe('Mine {{portal.url}}');
  });
});
