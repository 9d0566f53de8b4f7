import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe("promises: a tenant never reaches another tenant's promises", () => {
  it("answers 404 to promising on another tenant's invoice and never lists its promises", async () => {
    const invoice = await createInvoiceVia(h);
    const mine = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
      body: { date: inAWeek() },
    });
    expect(mine.status).toBe(201);
    const theirs = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
      apiKey: other.apiKey,
      body: { date: inAWeek() },
    });
    expect(theirs.status).toBe(404);
    const list = await h.request('GET', `/v1/promises?invoiceId=${invoice.id}`, { apiKey: other.apiKey });
    expect(list.body.data).toEqual([]);
    const stillActive = await h.request('GET', `/v1/promises?invoiceId=${invoice.id}&status=active`);
    expect(stillActive.body.data.map((p: { id: string }) => p.id)).toEqual([mine.body.id]);
  });
});
