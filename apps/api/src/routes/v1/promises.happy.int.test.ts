import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, signalsOf } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const daysFromToday = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('promises to pay API', () => {
  it('records a promise, signals the workflow, and a newer promise replaces the active one', async () => {
    const invoice = await createInvoiceVia(h);
    const first = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
      body: { date: daysFromToday(7), note: 'Paying next week' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ invoiceId: invoice.id, date: daysFromToday(7), status: 'active' });
    const second = await h.request('POST', `/v1/invoices/${invoice.id}/promises`, {
      body: { date: daysFromToday(10) },
    });
    expect(second.status).toBe(201);
    const list = await h.request('GET', `/v1/promises?invoiceId=${invoice.id}`);
    expect(list.body.data.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([
      [first.body.id, 'cancelled'],
      [second.body.id, 'active'],
    ]);
    const active = await h.request('GET', `/v1/promises?invoiceId=${invoice.id}&status=active`);
    expect(active.body.data).toHaveLength(1);
    expect(await signalsOf(h, invoice.id)).toEqual(['promiseToPay', 'promiseToPay']);
  });
});
