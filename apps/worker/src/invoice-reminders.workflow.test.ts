import { openInvoiceDispute, promiseInvoicePayment, resolveInvoiceDispute } from '@settle/core';
import { addDays, daysBetween, isBusinessDay, localDateOf } from '@settle/domain';
import {
  invoiceChangedSignal,
  paymentFailedSignal,
  paymentPendingSignal,
  paymentRecordedSignal,
  stateQuery,
} from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY, scenarioHelpers, ZONE } from './testing/scenarios';
import { recordHistory } from './testing/workflow-fingerprint';
import { createHarness, type Harness } from './testing/workflow-harness';

// The real multi-week default policy on Temporal's time-skipping test server: timers of days and
// weeks fire in moments, activities run for real against PostgreSQL.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { serverToday, start, messageSteps, taskKinds, stopLeftovers, payOffline } = scenarioHelpers(
  () => harness,
);
afterEach(() => stopLeftovers());

/** Application functions over the test server: they write the database, then signal the workflow. */
async function app() {
  const at = await harness.env.currentTimeMs();
  return { db: harness.db, temporal: harness.env.client, now: () => new Date(at) };
}

/** Lets the server clock run `days` forward while the worker handles whatever falls due. */
const advance = (days: number) => harness.env.sleep(days * DAY);

describe('default policy on the time-skipping server', () => {
  it('runs the full sequence from issue-day e-mail to collections hand-over, each step once', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 30 });
    const result = await harness.withWorker(() => handle.result());
    await recordHistory('full-default-sequence', handle);
    expect(result.outcome).toBe('in_collections');
    expect(await messageSteps(invoiceId)).toEqual([
      'issue-email#0:email',
      'pre-due-email#0:email',
      'due-day-email#0:email',
      'due-day-sms#0:sms',
      'overdue-email#0:email',
      'overdue-email#1:email',
      'firm-overdue-email#0:email',
      'final-notice-letter#0:letter',
    ]);
    expect(await taskKinds(invoiceId)).toEqual(['call', 'letter', 'collections_handover']);
    // The formal letter is a PDF kept with its message, and the "post this letter" task points to it.
    const letterTask = await harness.db
      .selectFrom('tasks')
      .select(['details', 'communication_id'])
      .where('invoice_id', '=', invoiceId)
      .where('kind', '=', 'letter')
      .executeTakeFirstOrThrow();
    const pdf = await harness.db
      .selectFrom('documents')
      .select(['id', 'content', 'communication_id'])
      .where('id', '=', String(letterTask.details.documentId))
      .executeTakeFirstOrThrow();
    expect(pdf.communication_id).toBe(letterTask.communication_id);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const invoice = await harness.db
      .selectFrom('invoices')
      .select('status')
      .where('id', '=', invoiceId)
      .executeTakeFirst();
    expect(invoice?.status).toBe('in_collections');
    const keys = harness.email.sent.map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('stops before the first reminder when paid right after issue, and thanks the customer', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 30 });
    const result = await harness.withWorker(async () => {
      await advance(1);
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    expect(result.outcome).toBe('paid');
    expect(await messageSteps(invoiceId)).toEqual(['issue-email#0:email', 'thank-you:email']);
  });

  it('stops between steps when paid after the due-day reminder', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -29, dueInDays: 1 });
    const result = await harness.withWorker(async () => {
      await advance(1.5); // past the due-day reminders, before the first overdue one
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    await recordHistory('paid-between-steps', handle);
    expect(result.outcome).toBe('paid');
    const steps = await messageSteps(invoiceId);
    expect(steps).toContain('due-day-email#0:email');
    expect(steps.some((s) => s.startsWith('overdue-email'))).toBe(false);
    expect(steps.at(-1)).toBe('thank-you:email');
  });

  it('lets a payment recorded just before a send win over the send', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -29, dueInDays: 1 });
    const result = await harness.withWorker(async () => {
      await advance(0.01); // the workflow has planned the due-day step for tomorrow 09:00
      // Paid in the database, but the signal has not arrived when the due-day step fires.
      await harness.db
        .updateTable('invoices')
        .set({ paid_minor: 125_000, status: 'paid' })
        .where('id', '=', invoiceId)
        .execute();
      return handle.result();
    });
    expect(result.outcome).toBe('paid');
    const steps = await messageSteps(invoiceId);
    expect(steps.filter((s) => s.startsWith('due-day'))).toEqual([]);
    expect(result.history.some((h) => h.event === 'step.skipped' && h.detail === 'invoice paid')).toBe(true);
  });

  it('goes on when a "fully paid" signal finds the invoice open in the database (a charge-back overtook it)', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 10 });
    await harness.withWorker(async () => {
      await advance(0.2);
      // The payment was reversed before this signal was handled: the database shows it open.
      await handle.signal(paymentRecordedSignal, { amountMinor: 125_000, fullyPaid: true });
      await advance(0.1);
      const state = await handle.query(stateQuery);
      expect(state.ended).toBeNull();
      expect(state.status).toBe('active');
      expect(state.history.some((h) => h.event === 'payment.reopened')).toBe(true);
    });
    expect((await messageSteps(invoiceId)).some((s) => s.startsWith('thank-you'))).toBe(false);
    await handle.terminate('test over');
  });

  it('goes on after a partial payment and states the remaining balance', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -33, dueInDays: -3 });
    await harness.withWorker(async () => {
      await payOffline(invoiceId, 25_000);
      await advance(7.5);
      const state = await handle.query(stateQuery);
      expect(state.ended).toBeNull();
      expect(state.history.some((h) => h.event === 'payment.partial')).toBe(true);
    });
    const last = await harness.db
      .selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select(['c.body_text', 'c.step_key'])
      .where('ci.invoice_id', '=', invoiceId)
      .orderBy('c.created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(last.step_key).toBe('overdue-email#1');
    expect(last.body_text).toMatch(/1\.000,00\s€/); // 1,250.00 − 250.00, in German
    await handle.terminate('test over');
  });
});

describe('holds', () => {
  it('pauses while disputed and resumes when the dispute is rejected', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -32, dueInDays: -2 });
    await harness.withWorker(async () => {
      await advance(0.2); // 10:48: the caught-up reminder went out when the window opened
      const before = (await messageSteps(invoiceId)).length;
      expect(before).toBeGreaterThan(0);
      const dispute = await openInvoiceDispute(await app(), {
        organizationId: organization.id,
        invoiceId,
        reason: 'quality',
        message: 'Broken on arrival',
        actor: { type: 'debtor', id: customer.id },
      });
      await advance(14); // two weeks later, a Monday
      expect((await messageSteps(invoiceId)).length).toBe(before);
      expect((await handle.query(stateQuery)).holds).toEqual(['dispute']);

      await resolveInvoiceDispute(await app(), {
        organizationId: organization.id,
        disputeId: dispute.disputeId,
        outcome: 'rejected',
        note: 'Photos show it arrived intact',
        actor: { type: 'user' },
      });
      // The next sending day's window: today's, or after a public holiday (the test server's clock
      // may have reached a year where this Monday is Easter Monday).
      for (let day = 0; day < 4 && (await messageSteps(invoiceId)).length === before; day += 0.25) {
        await advance(0.25);
      }
      expect((await messageSteps(invoiceId)).length).toBeGreaterThan(before);
      expect((await handle.query(stateQuery)).status).toBe('active');
    });
    await handle.terminate('test over');
  });

  it('resumes when the dispute is rejected and its signal is lost (the database is the truth)', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -32, dueInDays: -2 });
    await harness.withWorker(async () => {
      await advance(0.2);
      const dispute = await openInvoiceDispute(await app(), {
        organizationId: organization.id,
        invoiceId,
        reason: 'quality',
        message: 'Broken on arrival',
        actor: { type: 'debtor', id: customer.id },
      });
      await advance(1);
      const before = (await messageSteps(invoiceId)).length;
      expect((await handle.query(stateQuery)).holds).toEqual(['dispute']);
      // Temporal refuses the signal after the rejection committed: the request fails, and its retry
      // finds no open dispute, so nothing would ever tell the workflow.
      const unreachable = {
        workflow: {
          getHandle: () => ({
            signal: () => Promise.reject(new Error('Temporal unavailable')),
          }),
        },
      } as unknown as Client;
      const resolve = async (temporal: Client) =>
        resolveInvoiceDispute(
          { ...(await app()), temporal },
          {
            organizationId: organization.id,
            disputeId: dispute.disputeId,
            outcome: 'rejected',
            note: 'Photos show it arrived intact',
            actor: { type: 'user' },
          },
        );
      await expect(resolve(unreachable)).rejects.toThrow('Temporal unavailable');
      await expect(resolve(harness.env.client)).rejects.toThrow(/no open dispute/);

      await advance(2); // the daily re-check finds the dispute resolved
      expect((await handle.query(stateQuery)).status).toBe('active');
      await advance(10);
      expect((await messageSteps(invoiceId)).length).toBeGreaterThan(before);
    });
    await handle.terminate('test over');
  });

  it('ends when a dispute is upheld', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -32, dueInDays: -2 });
    const result = await harness.withWorker(async () => {
      const dispute = await openInvoiceDispute(await app(), {
        organizationId: organization.id,
        invoiceId,
        reason: 'wrong_amount',
        message: 'Billed twice',
        actor: { type: 'debtor', id: customer.id },
      });
      await resolveInvoiceDispute(await app(), {
        organizationId: organization.id,
        disputeId: dispute.disputeId,
        outcome: 'upheld',
        note: 'Credited',
        actor: { type: 'user' },
      });
      return handle.result();
    });
    await recordHistory('dispute-upheld', handle);
    expect(result.outcome).toBe('dispute_upheld');
  });

  it('waits for a promise to pay and ends quietly when it is kept', async () => {
    const { invoiceId, organization, handle } = await start({ issueInDays: -35, dueInDays: -5 });
    const result = await harness.withWorker(async () => {
      await advance(0.1);
      const before = await messageSteps(invoiceId);
      await promiseInvoicePayment(await app(), {
        organizationId: organization.id,
        invoiceId,
        date: addDays(await serverToday(), 10),
        actor: { type: 'debtor' },
      });
      await advance(8);
      expect(await messageSteps(invoiceId)).toEqual(before);
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    await recordHistory('promise-kept', handle);
    expect(result.outcome).toBe('paid');
    const promise = await harness.db
      .selectFrom('promises_to_pay')
      .select('status')
      .where('invoice_id', '=', invoiceId)
      .executeTakeFirst();
    expect(promise?.status).toBe('kept');
    expect(result.history.some((h) => h.event === 'promise.missed')).toBe(false);
  });

  it('sends a promise-missed notice after the promised date plus grace, then resumes', async () => {
    const { invoiceId, organization, customer, handle } = await start({ issueInDays: -35, dueInDays: -5 });
    await harness.withWorker(async () => {
      await advance(0.1);
      await promiseInvoicePayment(await app(), {
        organizationId: organization.id,
        invoiceId,
        date: addDays(await serverToday(), 3),
        actor: { type: 'debtor', id: customer.id },
      });
      await advance(2);
      expect((await messageSteps(invoiceId)).some((s) => s.startsWith('promise-missed'))).toBe(false);
      // Promised for Thursday, two grace days: the promise lapses at midnight into Sunday, and the
      // notice waits for the window of the next sending day: Monday, or the day after a holiday (the
      // test server's clock may have reached a year whose Monday is Whit Monday).
      await advance(4);
      expect((await messageSteps(invoiceId)).some((s) => s.startsWith('promise-missed'))).toBe(false);
      expect((await handle.query(stateQuery)).holds).toEqual([]);
      let sendingDay = await serverToday(); // Sunday
      do sendingDay = addDays(sendingDay, 1);
      while (!isBusinessDay(sendingDay, 'DE'));
      await advance(1.2 + daysBetween(addDays(await serverToday(), 1), sendingDay)); // 13:12 that day
      const notices = await harness.db
        .selectFrom('communications as c')
        .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
        .select(['c.created_at'])
        .where('ci.invoice_id', '=', invoiceId)
        .where('c.step_key', 'like', 'promise-missed%')
        .execute();
      expect(notices).toHaveLength(1);
      const sentAt = notices[0]?.created_at.getTime() ?? 0;
      expect(localDateOf(sentAt, ZONE)).toBe(sendingDay);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit' }).format(sentAt)).toBe('09');
    });
    await handle.terminate('test over');
    await recordHistory('promise-missed', handle);
  });

  it('pauses while a direct debit is pending and resumes with a notice when it fails', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -35, dueInDays: -5 });
    await harness.withWorker(async () => {
      await advance(0.1);
      const before = (await messageSteps(invoiceId)).length;
      await harness.db
        .updateTable('invoices')
        .set({ payment_pending: true })
        .where('id', '=', invoiceId)
        .execute();
      await handle.signal(paymentPendingSignal);
      await advance(10);
      expect((await messageSteps(invoiceId)).length).toBe(before);

      await harness.db
        .updateTable('invoices')
        .set({ payment_pending: false })
        .where('id', '=', invoiceId)
        .execute();
      await handle.signal(paymentFailedSignal, { reason: 'insufficient_funds' });
      await advance(0.2);
      const steps = await messageSteps(invoiceId);
      expect(steps.filter((s) => s.startsWith('payment-failed'))).toHaveLength(1);
      expect((await handle.query(stateQuery)).status).toBe('active');
    });
    await handle.terminate('test over');
    await recordHistory('direct-debit-pending-then-failed', handle);
  });
});

describe('changes and restarts', () => {
  it('re-plans when the due date moves', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -20, dueInDays: 3 });
    await harness.withWorker(async () => {
      await advance(0.2); // past the caught-up issue e-mail at the window's opening
      const before = (await handle.query(stateQuery)).nextStep;
      expect(before?.id).toBe('pre-due-email#0');
      const invoice = await harness.db
        .selectFrom('invoices')
        .select('due_date')
        .where('id', '=', invoiceId)
        .executeTakeFirstOrThrow();
      await harness.db
        .updateTable('invoices')
        .set({ due_date: addDays(invoice.due_date, 14) })
        .where('id', '=', invoiceId)
        .execute();
      await handle.signal(invoiceChangedSignal);
      await advance(0.01);
      const after = (await handle.query(stateQuery)).nextStep;
      expect(after?.id).toBe('pre-due-email#0');
      expect((after?.sendAt ?? 0) - (before?.sendAt ?? 0)).toBeGreaterThanOrEqual(13 * DAY);
    });
    await handle.terminate('test over');
  });

  it('loses and doubles no message when the worker restarts mid-sequence', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 2 });
    await harness.withWorker(() => advance(3)); // issue, pre-due and due-day steps
    const midway = await messageSteps(invoiceId);
    // A new worker (new process in production) picks the workflow up where the first one left it.
    const result = await harness.withWorker(() => handle.result());
    expect(result.outcome).toBe('in_collections');
    const steps = await messageSteps(invoiceId);
    expect(steps.slice(0, midway.length)).toEqual(midway);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toContain('final-notice-letter#0:letter');
  });
});

describe('messages', () => {
  it('marks a permanently rejected message failed, opens a task, and goes on', async () => {
    const { invoiceId, customer, handle } = await start({ issueInDays: -30, dueInDays: 1 });
    await harness.withWorker(async () => {
      harness.email.rejectWith = 'resend: validation_error: invalid recipient';
      try {
        await advance(1.5); // due-day e-mail and SMS
      } finally {
        harness.email.rejectWith = null;
      }
      await advance(2); // the first overdue reminder still goes out
    });
    const messages = await harness.db
      .selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select(['c.step_key', 'c.status', 'c.error'])
      .where('ci.invoice_id', '=', invoiceId)
      .execute();
    expect(messages.find((m) => m.step_key === 'due-day-email#0')).toMatchObject({
      status: 'failed',
      error: 'resend: validation_error: invalid recipient',
    });
    expect(messages.find((m) => m.step_key === 'due-day-sms#0')?.status).toBe('sent');
    expect(messages.find((m) => m.step_key === 'overdue-email#0')?.status).toBe('sent');
    const tasks = await harness.db
      .selectFrom('tasks')
      .select(['kind'])
      .where('customer_id', '=', customer.id)
      .execute();
    expect(tasks.map((t) => t.kind)).toContain('failed_message');
    await handle.terminate('test over');
  });
});
