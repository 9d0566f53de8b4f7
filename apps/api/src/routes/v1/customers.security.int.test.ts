import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestTenant } from '../../testing/api-harness';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

describe("customers: a tenant never reaches another tenant's customers", () => {
  it("answers 404 to reading or changing another tenant's customer, and changes nothing", async () => {
    const victim = h.tenant.customer;
    const read = await h.request('GET', `/v1/customers/${victim.id}`, { apiKey: other.apiKey });
    expect(read.status).toBe(404);
    const change = await h.request('PATCH', `/v1/customers/${victim.id}`, {
      apiKey: other.apiKey,
      body: { name: 'Hijacked' },
    });
    expect(change.status).toBe(404);
    const row = await h.db
      .selectFrom('customers')
      .select('name')
      .where('id', '=', victim.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe(victim.name);
  });

  it("lists and searches only the caller's own customers", async () => {
    const list = await h.request('GET', '/v1/customers', { apiKey: other.apiKey });
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([other.customer.id]);
    const search = await h.request('GET', `/v1/customers?q=${encodeURIComponent(h.tenant.customer.code)}`, {
      apiKey: other.apiKey,
    });
    expect(search.body.data).toEqual([]);
  });
});
