import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia, openDisputeOn } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

describe('disputes API errors', () => {
  it('names a bad outcome and a missing note, and leaves the dispute open', async () => {
    const invoice = await createInvoiceVia(h);
    const disputeId = await openDisputeOn(h, h.tenant, invoice.id);
    const response = await h.request('POST', `/v1/disputes/${disputeId}/resolve`, {
      body: { outcome: 'maybe' },
    });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['note', 'outcome']);
    expect((await h.request('GET', `/v1/disputes/${disputeId}`)).body.status).toBe('open');
  });

  it('answers 404 to resolving a dispute that is already resolved, keeping the first answer', async () => {
    const invoice = await createInvoiceVia(h);
    const disputeId = await openDisputeOn(h, h.tenant, invoice.id);
    await h.request('POST', `/v1/disputes/${disputeId}/resolve`, {
      body: { outcome: 'rejected', note: 'No.' },
    });
    const again = await h.request('POST', `/v1/disputes/${disputeId}/resolve`, {
      body: { outcome: 'upheld', note: 'Yes.' },
    });
    expect(again.status).toBe(404);
    expect((await h.request('GET', `/v1/disputes/${disputeId}`)).body).toMatchObject({
      status: 'rejected',
      resolutionNote: 'No.',
    });
  });

  it('answers 404 for an unknown dispute', async () => {
    const response = await h.request('GET', '/v1/disputes/00000000-0000-4000-8000-000000000000');
    expect(response.status).toBe(404);
  });
});
