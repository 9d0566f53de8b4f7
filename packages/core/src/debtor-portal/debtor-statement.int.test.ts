import { databaseEnv, loadConfig } from '@settle/config';
import {
  allocatePayment,
  type Customer,
  type Invoice,
  insertCommunicationOnce,
  insertCustomer,
  insertInvoice,
  insertPaymentOnce,
  openDispute,
} from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { getDebtorInvoice } from './get-debtor-invoice';
import { getDebtorPaymentAttempt } from './get-debtor-payment-attempt';
import { getDebtorStatement } from './get-debtor-statement';

const { DATABASE_URL } = loadConfig(databaseEnv);
const now = new Date('2026-11-23T12:00:00Z');
let testDb: TestDatabase;
let organizationId: string;
let customer: Customer;
let overdue: Invoice;
let foreign: Invoice;

beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  const db = testDb.db;
  const tenant = await seedTenant(db);
  organizationId = tenant.organization.id;
  customer = tenant.customer;
  const other = await insertCustomer(db, {
    organization_id: organizationId,
    code: 'OTHER',
    name: 'Other',
    country: 'PL',
    locale: 'pl',
    time_zone: 'Europe/Warsaw',
  });
  const invoice = (c: Customer, number: string, currency: string, total: number, due: string, extra = {}) =>
    insertInvoice(db, {
      organization_id: organizationId,
      customer_id: c.id,
      number,
      currency,
      total_minor: total,
      issue_date: '2026-10-01',
      due_date: due,
      lines: [
        { description: `${number} line`, quantity_milli: 1500, unit_price_minor: total, total_minor: total },
      ],
      ...extra,
    });
  overdue = await invoice(customer, 'A-1', 'EUR', 10_000, '2026-11-13', { paid_minor: 2_500 });
  await invoice(customer, 'A-2', 'EUR', 5_000, '2026-12-01');
  const disputed = await invoice(customer, 'A-3', 'PLN', 3_000, '2026-11-01');
  await invoice(customer, 'A-4', 'EUR', 7_000, '2026-10-01', { status: 'paid', paid_minor: 7_000 });
  foreign = await invoice(other, 'B-1', 'EUR', 99_999, '2026-11-01');
  const { payment } = await insertPaymentOnce(db, {
    organization_id: organizationId,
    customer_id: customer.id,
    provider: 'manual',
    provider_payment_id: 'bank-1',
    method: 'bank_transfer',
    amount_minor: 2_500,
    currency: 'EUR',
    status: 'confirmed',
    received_at: new Date('2026-11-20T10:00:00Z'),
  });
  await allocatePayment(db, {
    organizationId,
    paymentId: payment.id,
    invoiceId: overdue.id,
    amountMinor: 2_500,
  });
  await openDispute(db, {
    organizationId,
    invoiceId: disputed.id,
    customerId: customer.id,
    reason: 'quality',
    message: 'Broken on arrival',
  });
  const message = (key: string, status: 'sent' | 'pending') =>
    insertCommunicationOnce(
      db,
      {
        organization_id: organizationId,
        customer_id: customer.id,
        idempotency_key: key,
        step_key: key,
        channel: 'email',
        locale: 'de',
        recipient: 'ap@globex.example',
        subject: `Reminder ${key}`,
        body_text: 'text',
        provider: 'outbox',
        status,
        ...(status === 'sent' ? { sent_at: new Date('2026-11-14T09:00:00Z') } : {}),
      },
      [overdue.id],
    );
  await message('due-plus-1', 'sent');
  await message('due-plus-7', 'pending');
});
afterAll(async () => {
  await testDb?.drop();
});

describe('debtor statement', () => {
  it("totals the customer's own open balance per currency, overdue apart, with statuses and days overdue", async () => {
    const statement = await getDebtorStatement(testDb.db, { organizationId, customerId: customer.id, now });
    expect(statement.today).toBe('2026-11-23');
    expect(statement.totals).toEqual([
      { currency: 'PLN', dueMinor: 3_000, overdueMinor: 3_000 },
      { currency: 'EUR', dueMinor: 12_500, overdueMinor: 7_500 },
    ]);
    expect(statement.openInvoices.map((i) => [i.number, i.status, i.daysOverdue, i.balanceMinor])).toEqual([
      ['A-3', 'disputed', 22, 3_000],
      ['A-1', 'overdue', 10, 7_500],
      ['A-2', 'open', 0, 5_000],
    ]);
    expect(statement.recentPayments).toMatchObject([{ amountMinor: 2_500, invoiceNumbers: ['A-1'] }]);
    expect(statement.disputes).toMatchObject([
      { invoiceNumber: 'A-3', status: 'open', resolutionNote: null },
    ]);
    expect(statement.creditor).toMatchObject({
      legalName: 'Acme Supplies Sp. z o.o.',
      vatNumber: 'PL5260001234',
      bank: { iban: 'PL61109010140000071219812874', bic: 'WBKPPLPP' },
    });
    expect(statement.maxPromiseDate).toBe('2026-12-23');
  });
});

describe('debtor invoice', () => {
  it('shows lines, payments and only the messages actually sent', async () => {
    const view = await getDebtorInvoice(testDb.db, {
      organizationId,
      customerId: customer.id,
      invoiceId: overdue.id,
      now,
    });
    expect(view.lines).toMatchObject([{ description: 'A-1 line', quantityMilli: 1500 }]);
    expect(view.payments).toMatchObject([{ amountMinor: 2_500, method: 'bank_transfer' }]);
    expect(view.timeline.map((m) => m.subject)).toEqual(['Reminder due-plus-1']);
    expect(view.invoice).toMatchObject({ status: 'overdue', balanceMinor: 7_500, daysOverdue: 10 });
  });

  it("is NOT_FOUND for another customer's invoice and for a malformed id", async () => {
    for (const invoiceId of [foreign.id, 'not-a-uuid']) {
      const error = await getDebtorInvoice(testDb.db, {
        organizationId,
        customerId: customer.id,
        invoiceId,
        now,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('NOT_FOUND');
    }
  });
});

describe('debtor payment attempt', () => {
  it('reports each invoice as paid, pending or open, and is settled only when nothing can change', async () => {
    const attempt = await testDb.db
      .insertInto('payment_attempts')
      .values({
        organization_id: organizationId,
        customer_id: customer.id,
        provider: 'local',
        kind: 'checkout_session',
        invoice_ids: [overdue.id],
        amount_minor: 7_500,
        currency: 'EUR',
        status: 'completed',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const open = await getDebtorPaymentAttempt(testDb.db, {
      organizationId,
      customerId: customer.id,
      attemptId: attempt.id,
    });
    expect(open.invoices).toMatchObject([{ number: 'A-1', status: 'open' }]);
    expect(open.isSettled).toBe(false);
    await testDb.db
      .updateTable('invoices')
      .set({ payment_pending: true })
      .where('id', '=', overdue.id)
      .execute();
    const pending = await getDebtorPaymentAttempt(testDb.db, {
      organizationId,
      customerId: customer.id,
      attemptId: attempt.id,
    });
    expect(pending.invoices).toMatchObject([{ status: 'payment_pending' }]);
    expect(pending.isSettled).toBe(true);
    await testDb.db
      .updateTable('invoices')
      .set({ payment_pending: false })
      .where('id', '=', overdue.id)
      .execute();
  });
});
