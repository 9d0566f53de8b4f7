import { allocatePayment, insertInvoice } from '@settle/db';
import { addDays, localDateOf } from '@settle/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness, type TestTenant } from '../../testing/api-harness';

// The report arithmetic is pinned down in packages/core/src/report/reports.int.test.ts; these tests check the
// HTTP surface: parameters, defaults, errors naming the parameter, and tenant isolation.
let h: ApiHarness;
let other: TestTenant;

beforeAll(async () => {
  h = await createApiHarness();
  other = await h.seedTenant();
  const { organization, customer } = h.tenant;
  const invoice = async (number: string, totalMinor: number, issueDate: string, dueDate: string) =>
    insertInvoice(h.db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number,
      currency: 'EUR',
      total_minor: totalMinor,
      issue_date: issueDate,
      due_date: dueDate,
      lines: [],
    });
  await invoice('R-1', 10_000, '2026-03-01', '2026-04-15'); // current on 2026-03-31
  const paidPart = await invoice('R-2', 6_000, '2026-01-01', '2026-02-15'); // 44 days: 31-60
  await invoice('R-3', 4_000, '2025-11-01', '2025-12-01'); // 120 days: 90+
  const payment = await h.db
    .insertInto('payments')
    .values({
      organization_id: organization.id,
      customer_id: customer.id,
      provider: 'manual',
      provider_payment_id: 'reports-api-1',
      method: 'card',
      amount_minor: 2_000,
      currency: 'EUR',
      status: 'confirmed',
      via_portal: true,
      received_at: '2026-03-10T10:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await allocatePayment(h.db, {
    organizationId: organization.id,
    paymentId: payment.id,
    invoiceId: paidPart.id,
    amountMinor: 2_000,
  });
});
afterAll(() => h?.close());

describe('GET /v1/reports/aging', () => {
  it('answers the buckets per currency and per customer at asOf', async () => {
    const response = await h.request('GET', '/v1/reports/aging?asOf=2026-03-31');
    expect(response.status).toBe(200);
    expect(response.body.currencies).toEqual([
      {
        currency: 'EUR',
        buckets: { current: 10_000, d1_30: 0, d31_60: 4_000, d61_90: 0, d90_plus: 4_000 },
        invoiceCounts: { current: 1, d1_30: 0, d31_60: 1, d61_90: 0, d90_plus: 1 },
        totalMinor: 18_000,
        invoiceCount: 3,
      },
    ]);
    expect(response.body.customers).toEqual([
      expect.objectContaining({ customerId: h.tenant.customer.id, currency: 'EUR', totalMinor: 18_000 }),
    ]);
  });

  it("never shows another tenant's receivables, even for that tenant's customer id", async () => {
    const mine = await h.request('GET', '/v1/reports/aging?asOf=2026-03-31', { apiKey: other.apiKey });
    expect(mine.body).toEqual({ asOf: '2026-03-31', currencies: [], customers: [] });
    const probing = await h.request(
      'GET',
      `/v1/reports/aging?asOf=2026-03-31&customerId=${h.tenant.customer.id}`,
      {
        apiKey: other.apiKey,
      },
    );
    expect(probing.body.customers).toEqual([]);
  });

  it('answers 400 naming asOf for a malformed or impossible date', async () => {
    for (const asOf of ['yesterday', '2026-02-30']) {
      const response = await h.request('GET', `/v1/reports/aging?asOf=${asOf}`);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'VALIDATION',
        details: [{ field: 'asOf', message: 'expected a date YYYY-MM-DD' }],
      });
    }
  });

  it("defaults asOf to today in the organization's time zone", async () => {
    const response = await h.request('GET', '/v1/reports/aging');
    expect(response.body.asOf).toBe(localDateOf(Date.now(), h.tenant.organization.default_time_zone));
  });
});

describe('GET /v1/reports/dso and /v1/reports/dso/trend', () => {
  it('answers DSO over the period', async () => {
    const response = await h.request('GET', '/v1/reports/dso?from=2026-03-01&to=2026-03-31');
    expect(response.status).toBe(200);
    // receivables 18000 on March 31; sales in March: R-1 10000; 18000 / 10000 × 31 = 55.8
    expect(response.body).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      periodDays: 31,
      currencies: [{ currency: 'EUR', receivablesMinor: 18_000, creditSalesMinor: 10_000, dsoDays: 55.8 }],
    });
  });

  it('defaults to the last 90 days and refuses a period that ends before it starts, naming from', async () => {
    const today = localDateOf(Date.now(), h.tenant.organization.default_time_zone);
    const defaults = await h.request('GET', '/v1/reports/dso');
    expect([defaults.body.from, defaults.body.to, defaults.body.periodDays]).toEqual([
      addDays(today, -89),
      today,
      90,
    ]);
    const backwards = await h.request('GET', '/v1/reports/dso?from=2026-03-02&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([
      { field: 'from', message: 'must not be after to (2026-03-01)' },
    ]);
  });

  it('answers DSO per month and refuses a month count out of range, naming months', async () => {
    const trend = await h.request('GET', '/v1/reports/dso/trend?months=2&asOf=2026-03-31');
    expect(trend.status).toBe(200);
    expect(trend.body.months.map((m: { month: string }) => m.month)).toEqual(['2026-02', '2026-03']);
    const tooMany = await h.request('GET', '/v1/reports/dso/trend?months=99');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0].field).toBe('months');
  });
});

describe('GET /v1/reports/collected', () => {
  it('answers the money collected in the period with the part paid through the portal', async () => {
    const response = await h.request('GET', '/v1/reports/collected?from=2026-03-01&to=2026-03-31');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      currencies: [
        {
          currency: 'EUR',
          collectedMinor: 2_000,
          viaPortalMinor: 2_000,
          allocatedMinor: 2_000,
          paymentCount: 1,
        },
      ],
    });
  });

  it('answers 400 naming to for a bad date', async () => {
    const response = await h.request('GET', '/v1/reports/collected?to=31.03.2026');
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'to', message: 'expected a date YYYY-MM-DD' }]);
  });
});
