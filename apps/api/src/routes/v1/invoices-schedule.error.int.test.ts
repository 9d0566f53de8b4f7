import { DEFAULT_POLICY } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvoiceVia } from '../../testing/api-fixtures';
import { type ApiHarness, createApiHarness } from '../../testing/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
});
afterAll(() => h?.close());

const fieldsOf = (body: { error: { details: { field: string }[] } }) =>
  body.error.details.map((d) => d.field).sort();
const sample = { issueDate: '2026-10-16', dueDate: '2026-11-09', country: 'PL', timeZone: 'Europe/Warsaw' };

describe('GET /v1/invoices/{id}/schedule errors', () => {
  it('refuses an id that is not a uuid (400 naming id) and answers 404 for an unknown invoice', async () => {
    const bad = await h.request('GET', '/v1/invoices/not-an-id/schedule');
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['id']);
    const unknown = await h.request('GET', '/v1/invoices/00000000-0000-4000-8000-000000000000/schedule');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('answers a null preview, not an error, when no reminder policy applies', async () => {
    const invoice = await createInvoiceVia(h);
    const response = await h.request('GET', `/v1/invoices/${invoice.id}/schedule`);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ policy: null, preview: null, messages: [] });
  });
});

describe('POST /v1/policies/preview errors', () => {
  it('names every bad field of the policy and of the sample in one 400', async () => {
    const policy = {
      ...DEFAULT_POLICY,
      sendWindow: { start: '25:00', end: '17:00' },
      steps: [{ ...DEFAULT_POLICY.steps[0]!, offsetDays: 1.5 }],
    };
    const response = await h.request('POST', '/v1/policies/preview', {
      body: {
        policy,
        sample: { issueDate: '2026-02-30', dueDate: '2026-11-09', country: 'XX', timeZone: '+01:00' },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION');
    expect(fieldsOf(response.body)).toEqual([
      'policy.sendWindow.start',
      'policy.steps.0.offsetDays',
      'sample.country',
      'sample.issueDate',
      'sample.timeZone',
    ]);
  });

  it('refuses a due date before the issue date and a negative balance', async () => {
    const response = await h.request('POST', '/v1/policies/preview', {
      body: { policy: DEFAULT_POLICY, sample: { ...sample, dueDate: '2026-10-01', balanceMinor: -1 } },
    });
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['sample.balanceMinor', 'sample.dueDate']);
  });

  it('names missing and mistyped parts of the request, and never answers 500', async () => {
    const missing = await h.request('POST', '/v1/policies/preview', { body: { policy: DEFAULT_POLICY } });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['sample']);
    const mistyped = await h.request('POST', '/v1/policies/preview', {
      body: { policy: 'default', sample: { ...sample, timeZone: 7 } },
    });
    expect(mistyped.status).toBe(400);
    expect(fieldsOf(mistyped.body)).toEqual(['policy', 'sample.timeZone']);
    const notJson = await h.request('POST', '/v1/policies/preview', {
      body: '{"policy":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
  });
});
