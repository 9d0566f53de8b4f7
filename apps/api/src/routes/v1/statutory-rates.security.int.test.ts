import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

const query = '/v1/statutory-rates?kind=nbp_reference&from=2025-12-04';

describe("statutory rates: a tenant never sees or changes another tenant's rates", () => {
  it("keeps an organization's rate out of another's list, and another's rate of the same day out of its own", async () => {
    const mine = await h.request('POST', '/v1/statutory-rates', {
      body: { kind: 'nbp_reference', validFrom: '2025-12-04', basisPoints: 390, source: 'Mine' },
    });
    expect(mine.status).toBe(201);
    const theirsBefore = await h.request('GET', query, { apiKey: other.apiKey });
    expect(theirsBefore.body.data).toMatchObject([{ basisPoints: 400, scope: 'built_in' }]);

    // The same kind and day is free for the other tenant, and changes nothing for the first.
    const theirs = await h.request('POST', '/v1/statutory-rates', {
      apiKey: other.apiKey,
      body: { kind: 'nbp_reference', validFrom: '2025-12-04', basisPoints: 410, source: 'Theirs' },
    });
    expect(theirs.status).toBe(201);
    expect((await h.request('GET', query)).body.data).toMatchObject([{ id: mine.body.id, basisPoints: 390 }]);
    expect((await h.request('GET', query, { apiKey: other.apiKey })).body.data).toMatchObject([
      { id: theirs.body.id, basisPoints: 410 },
    ]);
  });

  it('refuses both routes without an API key', async () => {
    expect((await h.request('GET', '/v1/statutory-rates', { apiKey: null })).status).toBe(401);
    const create = await h.request('POST', '/v1/statutory-rates', {
      apiKey: null,
      body: { kind: 'boe_base', validFrom: '2026-02-05', basisPoints: 350, source: 'x' },
    });
    expect(create.status).toBe(401);
  });
});
