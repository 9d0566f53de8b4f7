import { DEFAULT_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

describe("policies: a tenant never reaches another tenant's policies", () => {
  it('answers 404 to reading or replacing it, never lists it, and the policy is unchanged', async () => {
    const created = await h.request('POST', '/v1/policies', {
      body: { name: 'Mine', policy: DEFAULT_POLICY },
    });
    const as = { apiKey: other.apiKey };
    expect((await h.request('GET', `/v1/policies/${created.body.id}`, as)).status).toBe(404);
    const replace = await h.request('PUT', `/v1/policies/${created.body.id}`, {
      ...as,
      body: { name: 'Theirs', policy: { ...DEFAULT_POLICY, steps: [] } },
    });
    expect(replace.status).toBe(404);
    expect((await h.request('GET', '/v1/policies', as)).body.data).toEqual([]);
    const mine = await h.request('GET', `/v1/policies/${created.body.id}`);
    expect(mine.body).toMatchObject({ name: 'Mine', policy: DEFAULT_POLICY });
  });
});
