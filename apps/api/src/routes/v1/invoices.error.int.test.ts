import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, invoiceBody } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const countInvoices = async () =>
  (
    await h.db
      .selectFrom('invoices')
      .select('id')
      .where('organization_id', '=', h.tenant.organization.id)
      .execute()
  ).length;

describe('invoices API errors', () => {
  it('names each bad line field and writes nothing (no invoice, no workflow)', async () => {
    const before = await countInvoices();
    const response = await h.request('POST', '/v1/invoices', {
      body: invoiceBody(h.tenant.customer.id, {
        currency: 'EURO',
        lines: [
          { description: 'ok', quantityMilli: 1000, unitPriceMinor: 100 },
          { description: '', quantityMilli: -1, unitPriceMinor: 1.5 },
        ],
      }),
    });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual([
      'currency',
      'lines.1.description',
      'lines.1.quantityMilli',
      'lines.1.unitPriceMinor',
    ]);
    expect(await countInvoices()).toBe(before);
  });

  it('refuses an unknown customer (naming customerId) and a duplicate number (409 naming number)', async () => {
    const unknown = await h.request('POST', '/v1/invoices', {
      body: invoiceBody('00000000-0000-4000-8000-000000000000'),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: 'customerId', message: expect.any(String) }]);
    const invoice = await createInvoiceVia(h);
    const duplicate = await h.request('POST', '/v1/invoices', {
      body: invoiceBody(h.tenant.customer.id, { number: invoice.number }),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.details).toEqual([{ field: 'number', message: expect.any(String) }]);
  });

  it('refuses a change below what is paid or before the issue date, naming the field, and changes nothing', async () => {
    const invoice = await createInvoiceVia(h);
    await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
      body: { amountMinor: 50_000, currency: 'EUR', reference: `PART-${invoice.id}` },
    });
    const tooLow = await h.request('PATCH', `/v1/invoices/${invoice.id}`, { body: { totalMinor: 40_000 } });
    expect(tooLow.status).toBe(400);
    expect(tooLow.body.error.details).toEqual([{ field: 'totalMinor', message: expect.any(String) }]);
    const tooEarly = await h.request('PATCH', `/v1/invoices/${invoice.id}`, {
      body: { dueDate: '2020-01-01' },
    });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error.details).toEqual([{ field: 'dueDate', message: expect.any(String) }]);
    const empty = await h.request('PATCH', `/v1/invoices/${invoice.id}`, { body: {} });
    expect(empty.status).toBe(400);
    const read = await h.request('GET', `/v1/invoices/${invoice.id}`);
    expect(read.body).toMatchObject({ totalMinor: invoice.totalMinor, dueDate: '2026-12-01' });
  });

  it('answers 409 to changing, voiding or paying a closed invoice', async () => {
    const invoice = await createInvoiceVia(h);
    expect((await h.request('POST', `/v1/invoices/${invoice.id}/void`)).status).toBe(200);
    expect((await h.request('POST', `/v1/invoices/${invoice.id}/void`)).status).toBe(409);
    expect((await h.request('POST', `/v1/invoices/${invoice.id}/write-off`)).status).toBe(409);
    expect(
      (await h.request('PATCH', `/v1/invoices/${invoice.id}`, { body: { dueDate: '2026-12-31' } })).status,
    ).toBe(409);
    const payment = await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
      body: { amountMinor: 100, currency: 'EUR', reference: `LATE-${invoice.id}` },
    });
    expect(payment.status).toBe(409);
  });

  it('refuses a payment in another currency, naming currency, and records nothing', async () => {
    const invoice = await createInvoiceVia(h);
    const response = await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
      body: { amountMinor: 100, currency: 'USD', reference: `USD-${invoice.id}` },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'currency', message: expect.any(String) }]);
    const payments = await h.db
      .selectFrom('payment_allocations')
      .select('payment_id')
      .where('invoice_id', '=', invoice.id)
      .execute();
    expect(payments).toHaveLength(0);
  });

  it('refuses a bank reference already used for another invoice or amount (409 naming reference), and repeats an identical one', async () => {
    const first = await createInvoiceVia(h);
    const second = await createInvoiceVia(h);
    const reference = `BANK-${first.id}`;
    const paid = await h.request('POST', `/v1/invoices/${first.id}/payments`, {
      body: { amountMinor: 10_000, currency: 'EUR', reference },
    });
    expect(paid.status).toBe(201);
    // The same transfer reported again: the same payment, nothing new.
    const again = await h.request('POST', `/v1/invoices/${first.id}/payments`, {
      body: { amountMinor: 10_000, currency: 'EUR', reference },
    });
    expect(again.status).toBe(201);
    expect(again.body.paymentId ?? again.body.id).toBe(paid.body.paymentId ?? paid.body.id);
    const otherInvoice = await h.request('POST', `/v1/invoices/${second.id}/payments`, {
      body: { amountMinor: 10_000, currency: 'EUR', reference },
    });
    expect(otherInvoice.status).toBe(409);
    expect(otherInvoice.body.error.details).toEqual([{ field: 'reference', message: expect.any(String) }]);
    const otherAmount = await h.request('POST', `/v1/invoices/${first.id}/payments`, {
      body: { amountMinor: 9_999, currency: 'EUR', reference },
    });
    expect(otherAmount.status).toBe(409);
    const allocations = await h.db
      .selectFrom('payment_allocations')
      .select('payment_id')
      .where('invoice_id', '=', second.id)
      .execute();
    expect(allocations).toHaveLength(0);
  });

  it('names a bad filter: an unknown overdue bucket or status', async () => {
    const bucket = await h.request('GET', '/v1/invoices?overdue=soon');
    expect(bucket.status).toBe(400);
    expect(bucket.body.error.details).toEqual([{ field: 'overdue', message: expect.any(String) }]);
    const status = await h.request('GET', '/v1/invoices?status=lost');
    expect(status.body.error.details).toEqual([{ field: 'status', message: expect.any(String) }]);
  });

  it('answers 409 to an invoice creation retried with the same Idempotency-Key but another body', async () => {
    const headers = { 'Idempotency-Key': 'invoice-idem-conflict' };
    const first = await h.request('POST', '/v1/invoices', {
      headers,
      body: invoiceBody(h.tenant.customer.id),
    });
    expect(first.status).toBe(201);
    const before = await countInvoices();
    const second = await h.request('POST', '/v1/invoices', {
      headers,
      body: invoiceBody(h.tenant.customer.id),
    });
    expect(second.status).toBe(409);
    expect(await countInvoices()).toBe(before);
  });
});
