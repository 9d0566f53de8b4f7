import { databaseEnv, loadConfig } from '@settle/config';
import { allocatePayment, type Db, type InvoiceStatus, insertCustomer, insertInvoice } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { getAgingReport } from './get-aging-report';
import { getCollectedReport } from './get-collected-report';
import { getDsoReport } from './get-dso-report';
import { getDsoTrend } from './get-dso-trend';

/**
 * One tenant (time zone Europe/Warsaw) with invoices in every aging bucket on 2026-03-31, in three
 * currencies, with partial, late, pending and portal payments, a void, a paid and a written-off
 * invoice. Every expected number below is worked out by hand in the comments.
 */
const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let db: Db;
let organizationId: string;
let customerA: string;
let customerB: string;
const NOW = new Date('2026-03-31T12:00:00Z'); // 14:00 in Warsaw: today is 2026-03-31

let paymentSequence = 0;

async function invoice(
  customerId: string,
  currency: string,
  totalMinor: number,
  issueDate: string,
  dueDate: string,
  extra: { status?: InvoiceStatus; paidMinor?: number; paidAt?: string; closedAt?: string } = {},
): Promise<string> {
  const row = await insertInvoice(db, {
    organization_id: organizationId,
    customer_id: customerId,
    number: `R-${currency}-${totalMinor}-${issueDate}`,
    currency,
    total_minor: totalMinor,
    paid_minor: extra.paidMinor ?? 0,
    issue_date: issueDate,
    due_date: dueDate,
    status: extra.status ?? 'open',
    paid_at: extra.paidAt ?? null,
    closed_at: extra.closedAt ?? extra.paidAt ?? null,
    lines: [],
  });
  return row.id;
}

async function payment(
  invoiceId: string,
  customerId: string,
  currency: string,
  amountMinor: number,
  receivedAt: string,
  options: {
    allocatedMinor?: number;
    viaPortal?: boolean;
    status?: 'confirmed' | 'paid_out' | 'pending';
  } = {},
): Promise<void> {
  const row = await db
    .insertInto('payments')
    .values({
      organization_id: organizationId,
      customer_id: customerId,
      provider: 'manual',
      provider_payment_id: `report-test-${paymentSequence++}`,
      method: options.viaPortal ? 'card' : 'bank_transfer',
      amount_minor: amountMinor,
      currency,
      status: options.status ?? 'confirmed',
      via_portal: options.viaPortal ?? false,
      received_at: receivedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await allocatePayment(db, {
    organizationId,
    paymentId: row.id,
    invoiceId,
    amountMinor: options.allocatedMinor ?? amountMinor,
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = testDb.db;
  const tenant = await seedTenant(db, { customer: { code: 'A', name: 'Alpha' } });
  organizationId = tenant.organization.id;
  customerA = tenant.customer.id;
  customerB = (
    await insertCustomer(db, {
      organization_id: organizationId,
      code: 'B',
      name: 'Beta',
      country: 'PL',
      locale: 'pl',
      time_zone: 'Europe/Warsaw',
    })
  ).id;

  // EUR, customer A
  const e1 = await invoice(customerA, 'EUR', 10_000, '2026-03-01', '2026-04-15'); // not yet due: current
  const e2 = await invoice(customerA, 'EUR', 5_000, '2026-02-01', '2026-03-31', { paidMinor: 2_000 }); // due today: current
  const e3 = await invoice(customerA, 'EUR', 7_000, '2026-02-01', '2026-03-01', { paidMinor: 1_000 }); // 30 days: 1-30
  const e7 = await invoice(customerA, 'EUR', 9_000, '2025-10-01', '2025-11-30', { paidMinor: 1_000 }); // 121 days: 90+
  await invoice(customerA, 'EUR', 99_999, '2026-03-01', '2026-03-15', {
    status: 'void',
    closedAt: '2026-03-02',
  });
  const e9 = await invoice(customerA, 'EUR', 3_000, '2026-03-02', '2026-03-20', {
    status: 'paid',
    paidMinor: 3_000,
    paidAt: '2026-03-25T10:00:00Z',
  });
  // EUR, customer B
  const e4 = await invoice(customerB, 'EUR', 4_000, '2026-01-01', '2026-02-28'); // 31 days: 31-60
  await invoice(customerB, 'EUR', 6_000, '2025-12-01', '2026-01-30'); // 60 days: 31-60
  await invoice(customerB, 'EUR', 8_000, '2025-12-01', '2025-12-31'); // 90 days: 61-90
  await invoice(customerB, 'EUR', 2_000, '2025-09-01', '2025-09-30', {
    status: 'written_off',
    closedAt: '2026-03-05T09:00:00Z',
  });
  // PLN and GBP, customer B
  await invoice(customerB, 'PLN', 12_345, '2026-03-15', '2026-03-29'); // 2 days: 1-30
  const g1 = await invoice(customerB, 'GBP', 500, '2025-12-15', '2026-01-15', {
    status: 'paid',
    paidMinor: 500,
    paidAt: '2026-03-12T10:00:00Z',
  });

  await payment(e2, customerA, 'EUR', 2_000, '2026-03-10T10:00:00Z');
  await payment(e7, customerA, 'EUR', 1_000, '2026-03-20T10:00:00Z', { viaPortal: true });
  await payment(e9, customerA, 'EUR', 3_000, '2026-03-25T10:00:00Z', { viaPortal: true, status: 'paid_out' });
  await payment(e3, customerA, 'EUR', 1_000, '2026-03-31T21:30:00Z'); // 23:30 in Warsaw: still March 31
  await payment(e1, customerA, 'EUR', 500, '2026-03-31T22:30:00Z'); // 00:30 on April 1 in Warsaw
  await payment(e4, customerB, 'EUR', 1_000, '2026-03-15T10:00:00Z', { status: 'pending' });
  await payment(g1, customerB, 'GBP', 700, '2026-03-12T10:00:00Z', { allocatedMinor: 500 }); // 200 kept as credit

  // Another tenant's receivables must never show up.
  const other = await seedTenant(db);
  await insertInvoice(db, {
    organization_id: other.organization.id,
    customer_id: other.customer.id,
    number: 'OTHER-1',
    currency: 'EUR',
    total_minor: 1_000_000,
    issue_date: '2026-01-01',
    due_date: '2026-01-02',
    lines: [],
  });
});

afterAll(async () => {
  await testDb?.drop();
});

describe('getAgingReport', () => {
  it('buckets open balances by days past due per currency, with counts and per-customer rows', async () => {
    const report = await getAgingReport(db, { organizationId, asOf: '2026-03-31' });
    expect(report.asOf).toBe('2026-03-31');
    expect(report.currencies).toEqual([
      {
        currency: 'EUR',
        // current: E1 10000 (the 500 arrived on April 1 local time) + E2 5000−2000
        // 1-30: E3 7000−1000 (paid 23:30 local on the 31st) · 31-60: E4 4000 (pending payment ignored) + E5 6000
        // 61-90: E6 8000 · 90+: E7 9000−1000 · void E8, paid E9 and written-off E11 left out
        buckets: { current: 13_000, d1_30: 6_000, d31_60: 10_000, d61_90: 8_000, d90_plus: 8_000 },
        invoiceCounts: { current: 2, d1_30: 1, d31_60: 2, d61_90: 1, d90_plus: 1 },
        totalMinor: 45_000,
        invoiceCount: 7,
      },
      {
        currency: 'PLN',
        buckets: { current: 0, d1_30: 12_345, d31_60: 0, d61_90: 0, d90_plus: 0 },
        invoiceCounts: { current: 0, d1_30: 1, d31_60: 0, d61_90: 0, d90_plus: 0 },
        totalMinor: 12_345,
        invoiceCount: 1,
      },
    ]);
    expect(report.customers).toEqual([
      {
        customerId: customerA,
        code: 'A',
        name: 'Alpha',
        currency: 'EUR',
        buckets: { current: 13_000, d1_30: 6_000, d31_60: 0, d61_90: 0, d90_plus: 8_000 },
        totalMinor: 27_000,
        invoiceCount: 4,
      },
      {
        customerId: customerB,
        code: 'B',
        name: 'Beta',
        currency: 'EUR',
        buckets: { current: 0, d1_30: 0, d31_60: 10_000, d61_90: 8_000, d90_plus: 0 },
        totalMinor: 18_000,
        invoiceCount: 3,
      },
      {
        customerId: customerB,
        code: 'B',
        name: 'Beta',
        currency: 'PLN',
        buckets: { current: 0, d1_30: 12_345, d31_60: 0, d61_90: 0, d90_plus: 0 },
        totalMinor: 12_345,
        invoiceCount: 1,
      },
    ]);
  });

  it('reconstructs an earlier date: later payments, write-offs and invoices do not count yet', async () => {
    const report = await getAgingReport(db, { organizationId, asOf: '2026-02-28' });
    // EUR on Feb 28: current E2 5000 (due 03-31) + E3 7000 (due 03-01) + E4 4000 (due today)
    // 1-30: E5 6000 (29 days) · 31-60: E6 8000 (59 days) · 61-90: E7 9000 (90 days, its payment came
    // on March 20) · 90+: E11 2000 (151 days; written off only on March 5)
    expect(report.currencies.find((c) => c.currency === 'EUR')?.buckets).toEqual({
      current: 16_000,
      d1_30: 6_000,
      d31_60: 8_000,
      d61_90: 9_000,
      d90_plus: 2_000,
    });
    // GBP G1 500 was paid on March 12, so on Feb 28 it is 44 days overdue; PLN did not exist yet.
    expect(report.currencies.map((c) => c.currency)).toEqual(['EUR', 'GBP']);
    expect(report.currencies.find((c) => c.currency === 'GBP')?.buckets.d31_60).toBe(500);
  });

  it('narrows to one customer for drill-down', async () => {
    const report = await getAgingReport(db, { organizationId, asOf: '2026-03-31', customerId: customerB });
    expect(report.customers.map((c) => [c.code, c.currency, c.totalMinor])).toEqual([
      ['B', 'EUR', 18_000],
      ['B', 'PLN', 12_345],
    ]);
    expect(report.currencies.map((c) => [c.currency, c.totalMinor])).toEqual([
      ['EUR', 18_000],
      ['PLN', 12_345],
    ]);
  });

  it('refuses a customer filter that is not an id, naming customerId', async () => {
    await expect(getAgingReport(db, { organizationId, customerId: 'B' })).rejects.toMatchObject({
      code: 'VALIDATION',
      options: { details: [{ field: 'customerId', message: 'expected a customer id' }] },
    });
  });

  it("defaults asOf to today in the organization's time zone", async () => {
    const lateEvening = new Date('2026-03-30T22:30:00Z'); // already March 31 in Warsaw
    const report = await getAgingReport(db, { organizationId, now: lateEvening });
    expect(report.asOf).toBe('2026-03-31');
  });

  it('refuses a malformed date, naming asOf', async () => {
    const attempt = getAgingReport(db, { organizationId, asOf: '2026-02-30' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'VALIDATION',
      options: { details: [{ field: 'asOf', message: 'expected a date YYYY-MM-DD' }] },
    });
  });
});

describe('getDsoReport', () => {
  it('divides receivables at period end by credit sales in the period, times the days', async () => {
    const report = await getDsoReport(db, { organizationId, from: '2026-03-01', to: '2026-03-31' });
    expect(report).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      periodDays: 31,
      currencies: [
        // EUR: receivables 45000 (the aging total); sales = E1 10000 + E9 3000 (void E8 left out)
        // 45000 / 13000 × 31 = 107.307… → 107.3
        { currency: 'EUR', receivablesMinor: 45_000, creditSalesMinor: 13_000, dsoDays: 107.3 },
        // PLN: 12345 / 12345 × 31 = 31
        { currency: 'PLN', receivablesMinor: 12_345, creditSalesMinor: 12_345, dsoDays: 31 },
      ],
    });
  });

  it('defaults to the last 90 days up to today', async () => {
    const report = await getDsoReport(db, { organizationId, now: NOW });
    expect([report.from, report.to, report.periodDays]).toEqual(['2026-01-01', '2026-03-31', 90]);
  });

  it('refuses a period that ends before it starts, naming from', async () => {
    await expect(
      getDsoReport(db, { organizationId, from: '2026-03-02', to: '2026-03-01' }),
    ).rejects.toMatchObject({ code: 'VALIDATION', options: { details: [{ field: 'from' }] } });
    await expect(getDsoReport(db, { organizationId, to: 'yesterday' })).rejects.toMatchObject({
      options: { details: [{ field: 'to' }] },
    });
  });
});

describe('getDsoTrend', () => {
  it('measures each calendar month on its own days, the current month up to asOf', async () => {
    const trend = await getDsoTrend(db, { organizationId, months: 3, asOf: '2026-03-31' });
    expect(trend.months.map((m) => [m.month, m.from, m.to, m.periodDays])).toEqual([
      ['2026-01', '2026-01-01', '2026-01-31', 31],
      ['2026-02', '2026-02-01', '2026-02-28', 28],
      ['2026-03', '2026-03-01', '2026-03-31', 31],
    ]);
    expect(trend.months.map((m) => m.currencies)).toEqual([
      [
        // Jan 31: E4 4000 + E5 6000 + E6 8000 + E7 9000 + E11 2000 = 29000; sales E4 4000
        // 29000 / 4000 × 31 = 224.75 → 224.8 (half up)
        { currency: 'EUR', receivablesMinor: 29_000, creditSalesMinor: 4_000, dsoDays: 224.8 },
        // G1 owed, nothing sold in GBP in January: undefined ratio
        { currency: 'GBP', receivablesMinor: 500, creditSalesMinor: 0, dsoDays: null },
      ],
      [
        // Feb 28: + E2 5000 + E3 7000 = 41000; sales 12000; 41000 / 12000 × 28 = 95.67 → 95.7
        { currency: 'EUR', receivablesMinor: 41_000, creditSalesMinor: 12_000, dsoDays: 95.7 },
        { currency: 'GBP', receivablesMinor: 500, creditSalesMinor: 0, dsoDays: null },
      ],
      [
        { currency: 'EUR', receivablesMinor: 45_000, creditSalesMinor: 13_000, dsoDays: 107.3 },
        { currency: 'PLN', receivablesMinor: 12_345, creditSalesMinor: 12_345, dsoDays: 31 },
      ],
    ]);
  });

  it('ends the current month at asOf and crosses year ends', async () => {
    const trend = await getDsoTrend(db, { organizationId, months: 2, asOf: '2026-01-10' });
    expect(trend.months.map((m) => [m.month, m.from, m.to])).toEqual([
      ['2025-12', '2025-12-01', '2025-12-31'],
      ['2026-01', '2026-01-01', '2026-01-10'],
    ]);
  });

  it('refuses a month count outside 1..36, naming months', async () => {
    await expect(getDsoTrend(db, { organizationId, months: 0 })).rejects.toMatchObject({
      options: { details: [{ field: 'months' }] },
    });
  });
});

describe('getCollectedReport', () => {
  it('sums confirmed and paid-out payments received in the period by local day, with the portal share', async () => {
    const report = await getCollectedReport(db, { organizationId, from: '2026-03-01', to: '2026-03-31' });
    expect(report).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      currencies: [
        // 2000 + 1000 (portal) + 3000 (portal, paid out) + 1000 (23:30 on the 31st, local);
        // the 500 of April 1 local time and the pending 1000 are not collected
        {
          currency: 'EUR',
          collectedMinor: 7_000,
          viaPortalMinor: 4_000,
          allocatedMinor: 7_000,
          paymentCount: 4,
        },
        // 700 received, 500 allocated, 200 kept as credit
        { currency: 'GBP', collectedMinor: 700, viaPortalMinor: 0, allocatedMinor: 500, paymentCount: 1 },
      ],
    });
  });

  it('counts a payment on the first local day of the period', async () => {
    const report = await getCollectedReport(db, { organizationId, from: '2026-04-01', to: '2026-04-30' });
    expect(report.currencies).toEqual([
      { currency: 'EUR', collectedMinor: 500, viaPortalMinor: 0, allocatedMinor: 500, paymentCount: 1 },
    ]);
  });
});
