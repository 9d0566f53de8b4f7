import { databaseEnv, loadConfig } from '@settle/config';
import { type Db, insertInvoice, openDispute } from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCustomerRisk } from './get-customer-risk';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = testDb.db;
});
afterAll(async () => {
  await testDb?.drop();
});

async function paidInvoice(
  organizationId: string,
  customerId: string,
  dates: { issue: string; due: string; paidAt: string },
) {
  const invoice = await insertInvoice(db, {
    organization_id: organizationId,
    customer_id: customerId,
    number: `INV-${Math.random().toString(36).slice(2, 8)}`,
    currency: 'EUR',
    total_minor: 10_000,
    issue_date: dates.issue,
    due_date: dates.due,
    lines: [],
  });
  await db
    .updateTable('invoices')
    .set({ status: 'paid', paid_minor: 10_000, paid_at: new Date(dates.paidAt) })
    .where('id', '=', invoice.id)
    .execute();
  return invoice;
}

describe('getCustomerRisk', () => {
  it('measures days to pay and days late in the customer time zone, and counts disputes', async () => {
    const { organization, customer } = await seedTenant(db);
    // Paid at 23:30 UTC on the 14th: already the 15th in Berlin, the customer's zone.
    await paidInvoice(organization.id, customer.id, {
      issue: '2026-01-01',
      due: '2026-01-15',
      paidAt: '2026-01-14T23:30:00Z',
    });
    await paidInvoice(organization.id, customer.id, {
      issue: '2026-02-01',
      due: '2026-02-15',
      paidAt: '2026-03-27T10:00:00Z',
    });
    const open = await insertInvoice(db, {
      organization_id: organization.id,
      customer_id: customer.id,
      number: 'INV-OPEN',
      currency: 'EUR',
      total_minor: 5_000,
      issue_date: '2026-03-01',
      due_date: '2026-03-31',
      lines: [],
    });
    await openDispute(db, {
      organizationId: organization.id,
      invoiceId: open.id,
      customerId: customer.id,
      reason: 'quality',
      message: 'broken',
    });
    const risk = await getCustomerRisk(db, {
      organizationId: organization.id,
      customerId: customer.id,
      timeZone: 'Europe/Berlin',
      now: new Date('2026-04-01T00:00:00Z'),
    });
    expect(risk.paidInvoices.map((p) => [p.paidOn, p.daysToPay, p.daysLate])).toEqual([
      ['2026-03-27', 54, 40],
      ['2026-01-15', 14, 0],
    ]);
    expect(risk).toMatchObject({
      averageDaysToPay: 34,
      averageDaysLate: 20,
      lateShare: 0.5,
      openDisputes: 1,
      disputesLastYear: 1,
      level: 'medium',
    });
  });

  it("knows nothing of a customer without paid invoices, and never reads another organization's", async () => {
    const { organization, customer } = await seedTenant(db);
    const stranger = await seedTenant(db);
    await paidInvoice(stranger.organization.id, stranger.customer.id, {
      issue: '2026-01-01',
      due: '2026-01-15',
      paidAt: '2026-03-01T12:00:00Z',
    });
    const risk = await getCustomerRisk(db, {
      organizationId: organization.id,
      customerId: stranger.customer.id,
      timeZone: 'UTC',
    });
    expect(risk).toMatchObject({
      paidInvoices: [],
      level: 'unknown',
      averageDaysToPay: null,
      lateShare: null,
    });
    expect(customer.id).not.toBe(stranger.customer.id);
  });
});
