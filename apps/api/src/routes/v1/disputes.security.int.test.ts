import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, openDisputeOn } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

describe("disputes: a tenant never reaches another tenant's disputes", () => {
  it('answers 404 to reading or resolving it, never lists it, and the dispute stays open', async () => {
    const invoice = await createInvoiceVia(h);
    const disputeId = await openDisputeOn(h, h.tenant, invoice.id);
    const as = { apiKey: other.apiKey };
    expect((await h.request('GET', `/v1/disputes/${disputeId}`, as)).status).toBe(404);
    const resolve = await h.request('POST', `/v1/disputes/${disputeId}/resolve`, {
      ...as,
      body: { outcome: 'upheld', note: 'Voiding it for you.' },
    });
    expect(resolve.status).toBe(404);
    expect((await h.request('GET', '/v1/disputes', as)).body.data).toEqual([]);
    expect((await h.request('GET', `/v1/disputes/${disputeId}`)).body.status).toBe('open');
    expect((await h.request('GET', `/v1/invoices/${invoice.id}`)).body.status).toBe('open');
  });
});
