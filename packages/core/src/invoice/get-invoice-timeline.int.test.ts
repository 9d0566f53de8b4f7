import { databaseEnv, loadConfig } from '@settle/config';
import {
  allocatePayment,
  appendAuditLog,
  insertCommunicationOnce,
  insertInvoice,
  insertPaymentOnce,
  insertPromiseToPay,
  markCommunicationSent,
  openDispute,
  sql,
} from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { getInvoiceTimeline } from './get-invoice-timeline';

const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

/** Creation times are never updated by the app; tests move them to fixed instants to pin the order. */
async function backdate(table: string, column: string, id: string, at: string) {
  await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${at}::timestamptz WHERE id = ${id}::uuid`.execute(
    testDb.db,
  );
}

async function seedInvoiceWithHistory() {
  const db = testDb.db;
  const { organization, customer } = await seedTenant(db);
  const org = organization.id;
  const invoice = await insertInvoice(db, {
    organization_id: org,
    customer_id: customer.id,
    number: `INV-${Math.random().toString(36).slice(2, 8)}`,
    currency: 'EUR',
    total_minor: 10_000,
    issue_date: '2026-10-01',
    due_date: '2026-10-31',
    lines: [],
  });
  const subject = { type: 'invoice', id: invoice.id };
  await appendAuditLog(db, {
    organizationId: org,
    actor: { type: 'system' },
    action: 'invoice.created',
    subject,
  });
  await sql`UPDATE audit_log SET created_at = '2026-10-01T08:00:00Z' WHERE subject_id = ${invoice.id}`.execute(
    db,
  );
  const { communication } = await insertCommunicationOnce(
    db,
    {
      organization_id: org,
      customer_id: customer.id,
      idempotency_key: `invoice-${invoice.id}/step-due`,
      step_key: 'due',
      channel: 'email',
      locale: 'de',
      recipient: 'ap@globex.example',
      subject: 'Invoice due today',
      body_text: 'Please pay.',
      provider: 'outbox',
    },
    [invoice.id],
  );
  await markCommunicationSent(db, communication.id, {
    providerMessageId: 'msg_1',
    sentAt: new Date('2026-10-31T09:00:00Z'),
  });
  const dispute = await openDispute(db, {
    organizationId: org,
    invoiceId: invoice.id,
    customerId: customer.id,
    reason: 'wrong_amount',
    message: 'We ordered 9, not 10.',
  });
  await backdate('disputes', 'opened_at', dispute.id, '2026-11-02T10:00:00Z');
  await db
    .updateTable('disputes')
    .set({
      status: 'rejected',
      resolution_note: 'Delivery note shows 10.',
      resolved_at: new Date('2026-11-03T10:00:00Z'),
    })
    .where('id', '=', dispute.id)
    .execute();
  const promise = await insertPromiseToPay(db, {
    organizationId: org,
    invoiceId: invoice.id,
    customerId: customer.id,
    promisedDate: '2026-11-20',
  });
  await backdate('promises_to_pay', 'created_at', promise.id, '2026-11-05T10:00:00Z');
  const { payment } = await insertPaymentOnce(db, {
    organization_id: org,
    customer_id: customer.id,
    provider: 'manual',
    provider_payment_id: `${org}:BANK-1`,
    method: 'bank_transfer',
    amount_minor: 10_000,
    currency: 'EUR',
    status: 'confirmed',
    received_at: new Date('2026-11-19T12:00:00Z'),
  });
  await allocatePayment(db, {
    organizationId: org,
    paymentId: payment.id,
    invoiceId: invoice.id,
    amountMinor: 10_000,
  });
  await db
    .updateTable('invoices')
    .set({ status: 'paid', paid_minor: 10_000, paid_at: new Date('2026-11-19T12:00:01Z') })
    .where('id', '=', invoice.id)
    .execute();
  return { organizationId: org, invoiceId: invoice.id, communicationId: communication.id };
}

describe('getInvoiceTimeline', () => {
  it('lists messages, dispute, promise, payment and status changes in time order', async () => {
    const { organizationId, invoiceId, communicationId } = await seedInvoiceWithHistory();
    const timeline = await getInvoiceTimeline(testDb.db, { organizationId, invoiceId });
    expect(timeline.map((e) => [e.at, e.kind])).toEqual([
      ['2026-10-01T08:00:00.000Z', 'status'],
      ['2026-10-31T09:00:00.000Z', 'message'],
      ['2026-11-02T10:00:00.000Z', 'dispute'],
      ['2026-11-05T10:00:00.000Z', 'promise'],
      ['2026-11-19T12:00:00.000Z', 'payment'],
      ['2026-11-19T12:00:01.000Z', 'status'],
    ]);
    expect(timeline[0]).toMatchObject({ action: 'invoice.created', status: 'open' });
    expect(timeline[1]).toMatchObject({
      communicationId,
      channel: 'email',
      subject: 'Invoice due today',
      status: 'sent',
      recipient: 'ap@globex.example',
    });
    expect(timeline[2]).toMatchObject({
      reason: 'wrong_amount',
      status: 'rejected',
      resolution: { note: 'Delivery note shows 10.', at: '2026-11-03T10:00:00.000Z' },
    });
    expect(timeline[3]).toMatchObject({ date: '2026-11-20', status: 'active' });
    expect(timeline[4]).toMatchObject({
      amountMinor: 10_000,
      currency: 'EUR',
      provider: 'manual',
      status: 'confirmed',
    });
    expect(timeline[5]).toMatchObject({ action: 'invoice.paid', status: 'paid' });
  });

  it("answers NOT_FOUND for another organization's invoice and shows none of its history", async () => {
    const { invoiceId } = await seedInvoiceWithHistory();
    const { organization: other } = await seedTenant(testDb.db);
    const attempt = getInvoiceTimeline(testDb.db, { organizationId: other.id, invoiceId });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
