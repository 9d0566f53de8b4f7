import { installDefaultReminders } from '@settle/core';
import { DEFAULT_POLICY } from '@settle/domain';
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

describe("schedule preview: a tenant never sees another tenant's schedule", () => {
  it("answers 404 for another tenant's invoice, the same as for an unknown one", async () => {
    await installDefaultReminders(h.db, h.tenant.organization.id);
    const invoice = await createInvoiceVia(h);
    const mine = await h.request('GET', `/v1/invoices/${invoice.id}/schedule`);
    expect(mine.status).toBe(200);
    const theirs = await h.request('GET', `/v1/invoices/${invoice.id}/schedule`, { apiKey: other.apiKey });
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ code: 'NOT_FOUND' });
    expect(JSON.stringify(theirs.body)).not.toContain(invoice.number);
  });

  it('requires an API key for both endpoints', async () => {
    const invoice = await createInvoiceVia(h);
    const read = await h.request('GET', `/v1/invoices/${invoice.id}/schedule`, { apiKey: null });
    const preview = await h.request('POST', '/v1/policies/preview', {
      apiKey: null,
      body: {
        policy: DEFAULT_POLICY,
        sample: { issueDate: '2026-10-16', dueDate: '2026-11-09', country: 'PL', timeZone: 'Europe/Warsaw' },
      },
    });
    expect([read.status, preview.status]).toEqual([401, 401]);
  });
});
