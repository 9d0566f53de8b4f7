import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, openDisputeOn, signalsOf } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('disputes API', () => {
  it('lists open disputes, reads one, and shows it on the invoice timeline', async () => {
    const invoice = await createInvoiceVia(h);
    const disputeId = await openDisputeOn(h, h.tenant, invoice.id);
    const list = await h.request('GET', `/v1/disputes?status=open&invoiceId=${invoice.id}`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([disputeId]);
    const read = await h.request('GET', `/v1/disputes/${disputeId}`);
    expect(read.body).toMatchObject({ invoiceId: invoice.id, reason: 'wrong_amount', status: 'open' });
    const timeline = await h.request('GET', `/v1/invoices/${invoice.id}/timeline`);
    expect(timeline.body.data.map((e: { kind: string }) => e.kind)).toContain('dispute');
  });

  it('rejecting a dispute keeps the invoice open and signals the workflow to resume', async () => {
    const invoice = await createInvoiceVia(h);
    const disputeId = await openDisputeOn(h, h.tenant, invoice.id);
    const response = await h.request('POST', `/v1/disputes/${disputeId}/resolve`, {
      body: { outcome: 'rejected', note: 'The delivery note shows 10 units.' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'rejected',
      resolutionNote: 'The delivery note shows 10 units.',
    });
    expect((await h.request('GET', `/v1/invoices/${invoice.id}`)).body.status).toBe('open');
    expect(await signalsOf(h, invoice.id)).toEqual(['disputeOpened', 'disputeResolved']);
  });

  it('upholding a dispute voids the invoice', async () => {
    const invoice = await createInvoiceVia(h);
    const disputeId = await openDisputeOn(h, h.tenant, invoice.id);
    const response = await h.request('POST', `/v1/disputes/${disputeId}/resolve`, {
      body: { outcome: 'upheld', note: 'Credit note issued.' },
    });
    expect(response.body.status).toBe('upheld');
    expect((await h.request('GET', `/v1/invoices/${invoice.id}`)).body.status).toBe('void');
  });
});
