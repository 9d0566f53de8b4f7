import { databaseEnv, loadConfig } from '@settle/config';
import {
  createDb,
  type Db,
  insertInvoice,
  insertWebhookEventOnce,
  onTransactionRetry,
  type TransactionRetry,
} from '@settle/db';
import { createTestDatabase, seedTenant, type TestDatabase } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, planReminders } from '@settle/domain';
import { paymentEventCommands } from '@settle/payments';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInvoiceDispute } from '../dispute/open-invoice-dispute';
import { AppError } from '../errors';
import { applyPaymentEvent } from '../payment/apply-payment-event';
import { recordOfflinePayment } from '../payment/record-offline-payment';
import { promiseInvoicePayment } from '../promise/promise-invoice-payment';
import { CoveringMessagePendingError, executeReminderStep } from '../reminders';
import type { ReminderDeps } from '../reminders/message-ports';

/**
 * Concurrent calls on invoices of one customer, as an API fuzzer (or a busy finance team, a provider
 * and the worker) sends them: offline payments, provider payment events, promises, disputes and the
 * worker's reminder step. Each must end in its result or an answer (a 4xx-style AppError); a
 * PostgreSQL deadlock or serialization failure must never escape. No workflow runs here: Temporal
 * stands in as a server with no running workflow.
 */

const { DATABASE_URL } = loadConfig(databaseEnv);
const noWorkflowTemporal = {
  workflow: {
    getHandle: (workflowId: string) => ({
      signal: async () => {
        throw new WorkflowNotFoundError('no workflow in this test', workflowId, undefined);
      },
    }),
  },
} as unknown as Client;

let testDb: TestDatabase;
// More connections than the test copy's default, so every call of a round really runs at once.
let db: Db;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
  db = createDb({ connectionString: testDb.url, maxConnections: 12 });
});
afterAll(async () => {
  await db?.destroy();
  await testDb?.drop();
});

// Before the lock order, the first round or two already deadlocked; 15 keep the test short.
const ROUNDS = 15;
const DUE = '2026-12-02'; // a Wednesday
const dueDayEmail = planReminders({
  issueDate: addDays(DUE, -30),
  dueDate: DUE,
  timeZone: 'Europe/Berlin',
  country: 'DE',
  policy: DEFAULT_POLICY,
}).find((step) => step.id === 'due-day-email#0');

function reminderDeps(now: Date): ReminderDeps {
  const send = async () => ({ ok: true as const, providerMessageId: null });
  return {
    db,
    email: { provider: 'outbox', send },
    sms: { provider: 'outbox', send },
    now: () => now,
    portalBaseUrl: 'http://portal.test',
    logger: { warn: () => {} },
    // The renderers are adapters of the worker; their output does not matter here.
    renderEmailHtml: async ({ text }) => `<p>${text}</p>`,
    renderLetterPdf: async () => Buffer.from('%PDF-1.4'),
  };
}

/**
 * A rejection that is an answer: an AppError below 500 for a client, or the step's "the companion's
 * message is still being delivered" that the worker retries later. Anything else is a defect.
 */
function isExpectedRefusal(reason: unknown): boolean {
  if (reason instanceof CoveringMessagePendingError) return true;
  return reason instanceof AppError && ['CONFLICT', 'VALIDATION', 'NOT_FOUND'].includes(reason.code);
}

describe('concurrent calls on invoices of one customer', () => {
  it('never end in a deadlock or serialization failure (payments, promises, disputes, reminder steps)', async () => {
    if (!dueDayEmail) throw new Error('no due-day step planned');
    const now = new Date(dueDayEmail.sendAt);
    const tenant = await seedTenant(db);
    const organizationId = tenant.organization.id;
    const events = { db, temporal: noWorkflowTemporal, now: () => now };
    const actor = { type: 'api_key' as const, id: 'fuzzer' };
    const unexpected: unknown[] = [];
    // The lock order alone must prevent deadlocks; the retry is only the safety net behind it.
    const retries: TransactionRetry[] = [];
    const stopObserving = onTransactionRetry((retry) => retries.push(retry));
    let calls = 0;
    for (let round = 0; round < ROUNDS && unexpected.length === 0; round++) {
      const [first, second, third] = await Promise.all(
        ['A', 'B', 'C'].map((letter) =>
          insertInvoice(db, {
            organization_id: organizationId,
            customer_id: tenant.customer.id,
            number: `CC-${round}-${letter}`,
            currency: 'EUR',
            total_minor: 10_000,
            issue_date: addDays(DUE, -30),
            due_date: DUE,
            lines: [],
          }),
        ),
      );
      if (!first || !second || !third) throw new Error('invoices not created');
      // A card payment for C of more than its balance, stored as the webhook stores it.
      const attempt = await db
        .insertInto('payment_attempts')
        .values({
          organization_id: organizationId,
          customer_id: tenant.customer.id,
          provider: 'stripe',
          kind: 'checkout_session',
          provider_reference: `cs_test_${third.id.slice(0, 8)}`,
          invoice_ids: [third.id],
          amount_minor: 11_000,
          currency: 'EUR',
        })
        .returning(['id', 'provider_reference'])
        .executeTakeFirstOrThrow();
      const checkout = {
        id: `evt_${third.id.replaceAll('-', '')}`,
        object: 'event',
        type: 'checkout.session.completed',
        created: Math.floor(now.getTime() / 1000),
        data: {
          object: {
            id: attempt.provider_reference,
            object: 'checkout.session',
            payment_status: 'paid',
            payment_intent: `pi_${third.id.slice(0, 8)}`,
            amount_total: 11_000,
            currency: 'eur',
            metadata: { settle_attempt_id: attempt.id },
            payment_method_types: ['card'],
          },
        },
      };
      const { event: stored } = await insertWebhookEventOnce(db, {
        provider: 'stripe',
        eventId: checkout.id,
        type: checkout.type,
        payload: checkout,
      });
      const providerEvent = () =>
        applyPaymentEvent(db, {
          webhookEventId: stored.id,
          commands: paymentEventCommands('stripe', checkout),
          now,
        });
      const step = (invoiceId: string) =>
        executeReminderStep(reminderDeps(now), {
          invoiceId,
          idempotencyKey: `invoice-${invoiceId}/step-${dueDayEmail.id}`,
          step: dueDayEmail,
        });
      const pay = (invoiceId: string, amountMinor: number, reference: string) =>
        recordOfflinePayment(events, {
          organizationId,
          invoiceId,
          amountMinor,
          currency: 'EUR',
          reference: `${reference}-${round}`,
          method: 'bank_transfer',
          actor,
        });
      const promise = (invoiceId: string) =>
        promiseInvoicePayment(events, { organizationId, invoiceId, date: addDays(DUE, 7), actor });
      const dispute = (invoiceId: string) =>
        openInvoiceDispute(events, {
          organizationId,
          invoiceId,
          reason: 'wrong_amount',
          message: 'the amount is wrong',
          actor,
        });
      const results = await Promise.allSettled([
        step(first.id),
        pay(first.id, 1_000, 'part'),
        promise(first.id),
        step(second.id),
        promise(second.id),
        dispute(second.id),
        // More than the balance: the rest becomes credit, a write to the customer row.
        pay(second.id, 12_000, 'over'),
        pay(first.id, 2_000, 'more'),
        step(third.id),
        providerEvent(),
        pay(third.id, 500, 'third'),
        promise(third.id),
      ]);
      calls += results.length;
      for (const result of results) {
        if (result.status === 'rejected' && !isExpectedRefusal(result.reason)) unexpected.push(result.reason);
      }
    }
    expect(
      unexpected.map((error) =>
        error instanceof Error
          ? `${(error as { code?: string }).code ?? error.name}: ${error.message}`
          : error,
      ),
    ).toEqual([]);
    stopObserving();
    expect(calls).toBe(ROUNDS * 12);
    expect(retries).toEqual([]);

    // The books still add up: every invoice's paid amount is what its payments allocated.
    const mismatched = await db
      .selectFrom('invoices as i')
      .leftJoin('payment_allocations as a', 'a.invoice_id', 'i.id')
      .select(['i.number', 'i.paid_minor'])
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('a.amount_minor'), eb.lit(0)).as('allocated'))
      .where('i.customer_id', '=', tenant.customer.id)
      .groupBy(['i.id', 'i.number', 'i.paid_minor'])
      .execute();
    expect(mismatched.filter((row) => Number(row.allocated) !== row.paid_minor)).toEqual([]);
  });
});
