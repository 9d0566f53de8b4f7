import {
  AppError,
  closeInvoice,
  createInvoice,
  openInvoiceDispute,
  pauseInvoiceReminders,
  promiseInvoicePayment,
  recordOfflinePayment,
  resumeInvoiceReminders,
} from '@settle/core';
import { addDays } from '@settle/domain';
import { stateQuery } from '@settle/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, scenarioHelpers } from './testing/scenarios';
import { createHarness, type Harness } from './testing/workflow-harness';

// The application functions that change an invoice's collection state, against PostgreSQL and the
// workflow they signal. Their own time-skipping server: see docs/decisions/0001.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { serverToday, start, messageSteps } = scenarioHelpers(() => harness);
const advance = (days: number) => harness.env.sleep(days * DAY);

async function app() {
  const at = await harness.env.currentTimeMs();
  return { db: harness.db, temporal: harness.env.client, now: () => new Date(at) };
}

describe('application functions', () => {
  it('records a payment reference once: a repeat changes nothing and signals nothing', async () => {
    const { invoiceId, organization, handle } = await start({ issueInDays: -31, dueInDays: -1 });
    await harness.withWorker(async () => {
      await advance(0.1);
      const input = {
        organizationId: organization.id,
        invoiceId,
        amountMinor: 25_000,
        currency: 'EUR',
        reference: 'bank-tx-1',
        method: 'bank_transfer' as const,
        actor: { type: 'system' as const },
      };
      const first = await recordOfflinePayment(await app(), input);
      const again = await recordOfflinePayment(await app(), input);
      expect(again).toMatchObject({ isNew: false, paymentId: first.paymentId });
      const invoice = await harness.db
        .selectFrom('invoices')
        .select('paid_minor')
        .where('id', '=', invoiceId)
        .executeTakeFirstOrThrow();
      expect(invoice.paid_minor).toBe(25_000);
      await advance(0.01);
      const payments = (await handle.query(stateQuery)).history.filter((h) => h.event.startsWith('payment.'));
      expect(payments).toHaveLength(1);
    });
    await handle.terminate('test over');
  });

  it('keeps an overpayment as customer credit and ends the sequence as paid', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -31, dueInDays: -1 });
    const result = await harness.withWorker(async () => {
      const paid = await recordOfflinePayment(await app(), {
        organizationId: organization.id,
        invoiceId,
        amountMinor: 130_000,
        currency: 'EUR',
        reference: 'bank-tx-over',
        method: 'bank_transfer',
        actor: { type: 'system' },
      });
      expect(paid.overpaidMinor).toBe(5_000);
      return handle.result();
    });
    expect(result.outcome).toBe('paid');
    const row = await harness.db
      .selectFrom('customers')
      .select('credit_balance_minor')
      .where('id', '=', customer.id)
      .executeTakeFirstOrThrow();
    expect(row.credit_balance_minor).toBe(5_000);
  });

  it('refuses a payment in another currency, a second open dispute and a promise too far out', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -31, dueInDays: -1 });
    const deps = await app();
    // With a worker, and its first steps settled: a workflow left with work in flight when its worker
    // stops keeps the test server's clock locked, even after it is terminated.
    await harness.withWorker(async () => {
      await advance(0.1);
      const base = { organizationId: organization.id, invoiceId, actor: { type: 'system' as const } };
      await expect(
        recordOfflinePayment(deps, {
          ...base,
          amountMinor: 100,
          currency: 'PLN',
          reference: 'x',
          method: 'bank_transfer',
        }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        options: { details: [{ field: 'currency', message: "expected EUR, the invoice's currency" }] },
      });
      await openInvoiceDispute(deps, { ...base, reason: 'other', message: '' });
      await expect(
        openInvoiceDispute(deps, { ...base, reason: 'other', message: '' }),
      ).rejects.toBeInstanceOf(AppError);
      await expect(
        promiseInvoicePayment(deps, { ...base, date: addDays(await serverToday(), 90) }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
      });
      const invoice = await harness.db
        .selectFrom('invoices')
        .select('paid_minor')
        .where('id', '=', invoiceId)
        .executeTakeFirstOrThrow();
      expect(invoice.paid_minor).toBe(0);
      const promises = await harness.db
        .selectFrom('promises_to_pay')
        .select('id')
        .where('invoice_id', '=', invoiceId)
        .execute();
      expect(promises).toEqual([]);
      expect(
        await harness.db.selectFrom('payments').select('id').where('customer_id', '=', customer.id).execute(),
      ).toEqual([]);
    });
    await handle.terminate('test over');
  });

  it('pauses while finance holds the invoice and resumes when released', async () => {
    const { invoiceId, organization, handle } = await start({ issueInDays: -32, dueInDays: -2 });
    await harness.withWorker(async () => {
      await advance(0.1);
      const before = (await messageSteps(invoiceId)).length;
      const base = {
        organizationId: organization.id,
        invoiceId,
        actor: { type: 'user' as const, id: 'finance-1' },
      };
      await pauseInvoiceReminders(await app(), { ...base, reason: 'customer called' });
      await advance(10);
      expect((await messageSteps(invoiceId)).length).toBe(before);
      expect((await handle.query(stateQuery)).holds).toEqual(['finance']);
      await resumeInvoiceReminders(await app(), base);
      await advance(0.5);
      expect((await handle.query(stateQuery)).status).toBe('active');
      expect((await messageSteps(invoiceId)).length).toBeGreaterThan(before);
    });
    await handle.terminate('test over');
  });

  it('ends the reminders of a voided invoice', async () => {
    const { invoiceId, organization, handle } = await start({ issueInDays: -32, dueInDays: -2 });
    const result = await harness.withWorker(async () => {
      await closeInvoice(await app(), {
        organizationId: organization.id,
        invoiceId,
        as: 'voided',
        actor: { type: 'api_key' },
      });
      return handle.result();
    });
    expect(result.outcome).toBe('voided');
  });

  it('creates an invoice from its lines and starts its workflow; bad input writes nothing', async () => {
    const { organization, customer, handle: other } = await start({ issueInDays: -1, dueInDays: 29 });
    const deps = { db: harness.db, temporal: harness.env.client, taskQueue: harness.taskQueue };
    const input = {
      customerId: customer.id,
      number: 'INV-NEW-1',
      currency: 'EUR',
      issueDate: addDays(await serverToday(), -1),
      dueDate: addDays(await serverToday(), 29),
      lines: [
        { description: 'Consulting', quantityMilli: 2500, unitPriceMinor: 12_000, taxRateBasisPoints: 2300 },
      ],
    };
    await harness.withWorker(async () => {
      await advance(0.1);
      const { invoice, workflowStarted } = await createInvoice(deps, {
        organizationId: organization.id,
        invoice: input,
      });
      expect(workflowStarted).toBe(true);
      expect(invoice.total_minor).toBe(36_900); // 2.5 × 120.00 + 23 % VAT
      await advance(0.1);
      const handle = harness.env.client.workflow.getHandle(`invoice-${invoice.id}`);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await expect(
        createInvoice(deps, { organizationId: organization.id, invoice: input }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(
        createInvoice(deps, {
          organizationId: organization.id,
          invoice: { ...input, number: 'INV-NEW-2', currency: 'EURO', lines: [] },
        }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        options: { details: expect.arrayContaining([{ field: 'currency', message: expect.any(String) }]) },
      });
      const count = await harness.db
        .selectFrom('invoices')
        .select('number')
        .where('number', 'like', 'INV-NEW-%')
        .execute();
      expect(count).toEqual([{ number: 'INV-NEW-1' }]);
      await handle.terminate('test over');
    });
    await other.terminate('test over');
  });
});
