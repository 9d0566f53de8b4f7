import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, invoiceBody, signalsOf } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

let h: ApiHarness;
let other: TestTenant;
beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
});
afterAll(() => h?.close());

const inTwoWeeks = () => new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);

describe("invoices: a tenant never reaches another tenant's invoices", () => {
  it('answers 404 to every read and change of the invoice, its timeline, payments and promises; nothing changes', async () => {
    const invoice = await createInvoiceVia(h);
    const as = { apiKey: other.apiKey };
    const attempts = [
      await h.request('GET', `/v1/invoices/${invoice.id}`, as),
      await h.request('GET', `/v1/invoices/${invoice.id}/timeline`, as),
      await h.request('PATCH', `/v1/invoices/${invoice.id}`, { ...as, body: { totalMinor: 1 } }),
      await h.request('POST', `/v1/invoices/${invoice.id}/void`, as),
      await h.request('POST', `/v1/invoices/${invoice.id}/write-off`, as),
      await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
        ...as,
        body: { amountMinor: 100, currency: 'EUR', reference: 'X-1' },
      }),
      await h.request('POST', `/v1/invoices/${invoice.id}/promises`, { ...as, body: { date: inTwoWeeks() } }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const mine = await h.request('GET', `/v1/invoices/${invoice.id}`);
    expect(mine.body).toMatchObject({ status: 'open', totalMinor: invoice.totalMinor, paidMinor: 0 });
    const promises = await h.db
      .selectFrom('promises_to_pay')
      .select('id')
      .where('invoice_id', '=', invoice.id)
      .execute();
    expect(promises).toHaveLength(0);
    expect(await signalsOf(h, invoice.id)).toEqual([]);
  });

  it("never lists another tenant's invoices, even filtered by its customer", async () => {
    await createInvoiceVia(h);
    const list = await h.request('GET', `/v1/invoices?customerId=${h.tenant.customer.id}`, {
      apiKey: other.apiKey,
    });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
  });

  it("cannot invoice another tenant's customer", async () => {
    const response = await h.request('POST', '/v1/invoices', {
      apiKey: other.apiKey,
      body: invoiceBody(h.tenant.customer.id),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'customerId', message: expect.any(String) }]);
  });
});
