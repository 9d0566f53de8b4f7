import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInvoiceVia,
  customerBody,
  invoiceBody,
  signalsOf,
  workflowStatusOf,
} from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('invoices API', () => {
  it('creates an invoice with exact line totals and starts its reminder workflow invoice-<id>', async () => {
    const response = await h.request('POST', '/v1/invoices', { body: invoiceBody(h.tenant.customer.id) });
    expect(response.status).toBe(201);
    // 2 × 500.00 + 23 % VAT
    expect(response.body).toMatchObject({
      totalMinor: 123_000,
      paidMinor: 0,
      balanceMinor: 123_000,
      status: 'open',
      workflowStarted: true,
      lines: [{ description: 'Consulting', quantityMilli: 2000, totalMinor: 123_000 }],
    });
    expect(await workflowStatusOf(h, response.body.id)).toBe('RUNNING');
    const read = await h.request('GET', `/v1/invoices/${response.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.lines).toHaveLength(1);
  });

  it('changes the due date and amount and signals the workflow to re-plan', async () => {
    const invoice = await createInvoiceVia(h);
    const response = await h.request('PATCH', `/v1/invoices/${invoice.id}`, {
      body: { dueDate: '2026-12-15', totalMinor: 100_000 },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      dueDate: '2026-12-15',
      totalMinor: 100_000,
      balanceMinor: 100_000,
    });
    expect(await signalsOf(h, invoice.id)).toEqual(['invoiceChanged']);
  });

  it('voids and writes off open invoices, signalling each workflow to end', async () => {
    const a = await createInvoiceVia(h);
    const b = await createInvoiceVia(h);
    const voided = await h.request('POST', `/v1/invoices/${a.id}/void`);
    const writtenOff = await h.request('POST', `/v1/invoices/${b.id}/write-off`);
    expect(voided.status).toBe(200);
    expect(voided.body.status).toBe('void');
    expect(writtenOff.body.status).toBe('written_off');
    expect(await signalsOf(h, a.id)).toEqual(['invoiceClosed']);
    expect(await signalsOf(h, b.id)).toEqual(['invoiceClosed']);
  });

  it('records a bank transfer: a part payment leaves a balance, the rest pays the invoice', async () => {
    const invoice = await createInvoiceVia(h);
    const part = await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
      body: { amountMinor: 23_000, currency: 'EUR', reference: `BANK-${invoice.id}-1` },
    });
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ isNew: true, invoice: { status: 'open', balanceMinor: 100_000 } });
    const rest = await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
      body: { amountMinor: 100_000, currency: 'EUR', reference: `BANK-${invoice.id}-2` },
    });
    expect(rest.body.invoice).toMatchObject({ status: 'paid', balanceMinor: 0 });
    expect(await signalsOf(h, invoice.id)).toEqual(['paymentRecorded', 'paymentRecorded']);
  });

  it('shows the timeline: created, promise, payment, paid, oldest first', async () => {
    const invoice = await createInvoiceVia(h, {
      overrides: { issueDate: today(), dueDate: daysFromToday(14) },
    });
    const promise = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
      body: { date: daysFromToday(5), note: 'Paying Friday' },
    });
    expect(promise.status).toBe(201);
    await h.request('POST', `/v1/invoices/${invoice.id}/payments`, {
      body: { amountMinor: invoice.totalMinor, currency: 'EUR', reference: `TL-${invoice.id}` },
    });
    const timeline = await h.request('GET', `/v1/invoices/${invoice.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.data.map((e: { kind: string; action?: string }) => e.action ?? e.kind)).toEqual([
      'invoice.created',
      'promise',
      'payment',
      'invoice.paid',
    ]);
    expect(timeline.body.data[1]).toMatchObject({ date: daysFromToday(5), status: 'kept' });
  });

  it('lists by status, customer and overdue bucket, and walks all pages', async () => {
    const customer = await h.request('POST', '/v1/customers', { body: customerBody() });
    const customerId = customer.body.id;
    const dueDates = [
      daysFromToday(10),
      daysFromToday(-5),
      daysFromToday(-45),
      daysFromToday(-75),
      daysFromToday(-120),
    ];
    const ids: string[] = [];
    for (const dueDate of dueDates) {
      const created = await h.request('POST', '/v1/invoices', {
        body: invoiceBody(customerId, { issueDate: daysFromToday(-200), dueDate }),
      });
      ids.push(created.body.id);
    }
    const bucket = async (overdue: string) =>
      (await h.request('GET', `/v1/invoices?customerId=${customerId}&overdue=${overdue}`)).body.data.map(
        (i: { id: string }) => i.id,
      );
    expect(await bucket('current')).toEqual([ids[0]]);
    expect(await bucket('1-30')).toEqual([ids[1]]);
    expect(await bucket('31-60')).toEqual([ids[2]]);
    expect(await bucket('61-90')).toEqual([ids[3]]);
    expect(await bucket('90%2B')).toEqual([ids[4]]);

    await h.request('POST', `/v1/invoices/${ids[0]}/void`);
    const voided = await h.request('GET', `/v1/invoices?customerId=${customerId}&status=void`);
    expect(voided.body.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor ? `&cursor=${cursor}` : '';
      const page = await h.request('GET', `/v1/invoices?customerId=${customerId}&limit=2${suffix}`);
      seen.push(...page.body.data.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    // Every invoice exactly once (rows created in the same millisecond are ordered by id, not creation).
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('replays an invoice creation retried with the same Idempotency-Key: one invoice, one workflow', async () => {
    const body = invoiceBody(h.tenant.customer.id);
    const headers = { 'Idempotency-Key': `inv-${body.number}` };
    const first = await h.request('POST', '/v1/invoices', { body, headers });
    const retry = await h.request('POST', '/v1/invoices', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const rows = await h.db.selectFrom('invoices').select('id').where('number', '=', body.number).execute();
    expect(rows).toHaveLength(1);
  });
});
