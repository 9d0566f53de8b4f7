import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const promisesOf = (invoiceId: string) =>
  h.db.selectFrom('promises_to_pay').select('id').where('invoice_id', '=', invoiceId).execute();

describe('promises to pay API errors', () => {
  it('names date when it is malformed, in the past or beyond the allowed days, and records nothing', async () => {
    const invoice = await createInvoiceVia(h);
    for (const date of ['next friday', daysFromToday(-1), daysFromToday(400)]) {
      const response = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, { body: { date } });
      expect(response.status, date).toBe(400);
      expect(response.body.error.details).toEqual([{ field: 'date', message: expect.any(String) }]);
    }
    expect(await promisesOf(invoice.id)).toHaveLength(0);
  });

  it('answers 409 to a promise on a closed invoice', async () => {
    const invoice = await createInvoiceVia(h);
    await h.request('POST', `/v1/invoices/${invoice.id}/void`);
    const response = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
      body: { date: daysFromToday(3) },
    });
    expect(response.status).toBe(409);
    expect(await promisesOf(invoice.id)).toHaveLength(0);
  });
});
