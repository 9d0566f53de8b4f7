import { insertInvoice } from '@settle/db';
import {
  addDays,
  DEFAULT_POLICY,
  localDateOf,
  type ReminderPolicy,
  SMS_SCENARIO_POLICY,
} from '@settle/domain';
import {
  type InvoiceWorkflowState,
  invoiceWorkflowId,
  paymentFailedSignal,
  startInvoiceReminders,
  stateQuery,
} from '@settle/workflows';
import type { invoiceReminderWorkflow } from '@settle/workflows/workflows';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DAY, scenarioHelpers, ZONE } from './testing/scenarios';
import { createHarness, type Harness } from './testing/workflow-harness';

// Each policy setting, on the time-skipping server with real policies and PostgreSQL: every test
// here fails when the send path ignores its setting. Test days start at 06:00 on a Monday in Berlin.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterAll(async () => {
  await harness?.close();
});

const { serverToday, start, messageSteps, taskKinds, track, stopLeftovers, payOffline } = scenarioHelpers(
  () => harness,
);
afterEach(() => stopLeftovers());
const advance = (days: number) => harness.env.sleep(days * DAY);
/** A query needs a worker to answer it. */
const stateOf = (handle: { query: (q: typeof stateQuery) => Promise<InvoiceWorkflowState> }) =>
  harness.withWorker(() => handle.query(stateQuery));
const localTime = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }).format(at);
const localDay = (at: Date) => localDateOf(at.getTime(), ZONE);

/** Messages listing an invoice, oldest first, with what the debtor received. */
async function messagesOf(invoiceId: string) {
  return harness.db
    .selectFrom('communications as c')
    .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
    .select([
      'c.id',
      'c.step_key',
      'c.channel',
      'c.status',
      'c.subject',
      'c.body_text',
      'c.created_at',
      'c.sent_at',
    ])
    .where('ci.invoice_id', '=', invoiceId)
    .orderBy('c.created_at')
    .execute();
}

/** A second invoice of the same customer, with its own workflow. */
async function addInvoice(
  seeded: { organization: { id: string }; customer: { id: string } },
  options: { issueDate: string; dueDate: string; number: string },
) {
  const invoice = await insertInvoice(harness.db, {
    organization_id: seeded.organization.id,
    customer_id: seeded.customer.id,
    number: options.number,
    currency: 'EUR',
    total_minor: 40_000,
    issue_date: options.issueDate,
    due_date: options.dueDate,
    lines: [],
  });
  await startInvoiceReminders(harness.env.client, invoice.id, { taskQueue: harness.taskQueue });
  return {
    invoiceId: invoice.id,
    handle: track(
      harness.env.client.workflow.getHandle<typeof invoiceReminderWorkflow>(invoiceWorkflowId(invoice.id)),
    ),
  };
}

describe('only if unpaid since the previous step', () => {
  it("skips the default policy's call when a part payment arrived after the last reminder", async () => {
    // Due 12 days before this Monday: the 9-day reminder is caught up today, the call is on Wednesday.
    const { invoiceId, handle } = await start({ issueInDays: -40, dueInDays: -12 });
    await harness.withWorker(async () => {
      await advance(1.5); // Tuesday 18:00: the caught-up reminder went out on Monday
      await payOffline(invoiceId, 25_000);
      await advance(1); // Wednesday evening: the firm e-mail and the call were due at 09:00
    });
    expect(await messageSteps(invoiceId)).toEqual(['overdue-email#1:email', 'firm-overdue-email#0:email']);
    expect(await taskKinds(invoiceId)).not.toContain('call');
    const { history } = await stateOf(handle);
    expect(history).toContainEqual(
      expect.objectContaining({
        event: 'step.skipped',
        stepId: 'overdue-call#0',
        detail: 'a payment arrived since the previous reminder',
      }),
    );
    await handle.terminate('test over');
  });

  it('creates the call when nothing was paid since the last reminder', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -40, dueInDays: -12 });
    await harness.withWorker(() => advance(2.5));
    expect(await taskKinds(invoiceId)).toEqual(['call']);
    await handle.terminate('test over');
  });
});

describe('the thank-you follows the policy', () => {
  it('thanks by SMS under the SMS scenario, and by nothing else', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 10, policy: SMS_SCENARIO_POLICY });
    await harness.withWorker(async () => {
      await advance(1);
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    expect(await messageSteps(invoiceId)).toEqual(['issue-sms#0:sms', 'thank-you-sms:sms']);
    expect(harness.sms.sent.some((m) => m.idempotencyKey === `invoice-${invoiceId}/step-thank-you`)).toBe(
      true,
    );
  });

  it('sends no thank-you when the policy has no step anchored to payment', async () => {
    const policy: ReminderPolicy = {
      ...DEFAULT_POLICY,
      steps: DEFAULT_POLICY.steps.filter((step) => step.anchor !== 'paid'),
    };
    const { invoiceId, handle } = await start({ dueInDays: 10, policy });
    const result = await harness.withWorker(async () => {
      await advance(1);
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    expect(result.outcome).toBe('paid');
    expect(await messageSteps(invoiceId)).toEqual(['issue-email#0:email']);
    expect(result.history).toContainEqual(
      expect.objectContaining({ event: 'notice.thank-you', detail: 'skipped' }),
    );
  });
});

describe('the send window, for every message', () => {
  it('sends a caught-up step at the opening of the window, not when the workflow starts at 06:00', async () => {
    const { invoiceId, handle } = await start({ issueInDays: -40, dueInDays: -12 });
    await harness.withWorker(() => advance(0.5));
    const [first] = await messagesOf(invoiceId);
    expect(first?.step_key).toBe('overdue-email#1');
    expect(localDay(first?.created_at ?? new Date(0))).toBe(await serverToday());
    // Within the first half hour of the 09:00–17:00 window: the invoice's own spread minute.
    expect(localTime(first?.created_at ?? new Date(0))).toMatch(/^09:[0-2]\d$/);
    await handle.terminate('test over');
  });

  it('ends the workflow as paid at once and thanks the customer when the window opens', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 10 });
    // 06:00 Monday, before the issue-day e-mail: paid before the window opens.
    const paidAt = await harness.env.currentTimeMs();
    const result = await harness.withWorker(async () => {
      await payOffline(invoiceId, 125_000);
      return handle.result();
    });
    expect(result.outcome).toBe('paid');
    // The invoice's workflow closed when the payment arrived, not when the thank-you went out.
    expect((await handle.describe()).closeTime?.getTime()).toBeLessThan(paidAt + 60_000);
    const thanks = (await messagesOf(invoiceId)).filter((m) => m.step_key === 'thank-you');
    expect(thanks).toHaveLength(1);
    expect(thanks[0]?.status).toBe('sent');
    expect(localTime(thanks[0]?.sent_at ?? new Date(0))).toMatch(/^09:[0-2]\d$/);
  });

  it('holds a payment-failed notice raised in the evening until the next morning', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 10 });
    await harness.withWorker(async () => {
      await advance(14 / 24); // Monday 20:00
      await handle.signal(paymentFailedSignal, { reason: 'insufficient_funds' });
      await advance(0.2);
      expect((await messageSteps(invoiceId)).some((s) => s.startsWith('payment-failed'))).toBe(false);
      await advance(0.5); // Tuesday 12:48
    });
    const notice = (await messagesOf(invoiceId)).find((m) => m.step_key.startsWith('payment-failed'));
    expect(localDay(notice?.created_at ?? new Date(0))).toBe(await serverToday());
    expect(localTime(notice?.created_at ?? new Date(0))).toMatch(/^09:[0-2]\d$/);
    await handle.terminate('test over');
  });
});

describe('same-day merging', () => {
  it('lists every invoice due a reminder today in one message, in the words of the strongest step', async () => {
    // A is due today (a courteous due-day e-mail); B fell due on Saturday (a firm overdue e-mail today).
    const a = await start({ dueInDays: 0 });
    const today = await serverToday();
    const b = await addInvoice(a, {
      issueDate: addDays(today, -2),
      dueDate: addDays(today, -2),
      number: 'B-1',
    });
    await harness.withWorker(() => advance(0.5));
    const emails = (await messagesOf(a.invoiceId)).filter((m) => m.channel === 'email');
    expect(emails).toHaveLength(1);
    const merged = emails[0];
    expect((await messagesOf(b.invoiceId)).filter((m) => m.channel === 'email').map((m) => m.id)).toEqual([
      merged?.id,
    ]);
    // The overdue template (firm), never the due-day one, and no "due today" for B.
    expect(merged?.body_text).toContain(
      'haben wir die folgende Zahlung (teilweise überfällig) noch nicht erhalten',
    );
    expect(merged?.subject).toMatch(/teilweise überfällig$/);
    expect(merged?.body_text).toMatch(/B-1, fällig am .*\(2 Tage überfällig\)/);
    expect(merged?.body_text).toMatch(/INV-\w+, fällig am .*\(heute fällig\)/);
    const merges = [...(await stateOf(a.handle)).history, ...(await stateOf(b.handle)).history].filter(
      (h) => h.event === 'step.merged' && h.stepId?.includes('email'),
    );
    expect(merges).toHaveLength(1);
    await a.handle.terminate('test over');
    await b.handle.terminate('test over');
  });

  it('never says "due today" for a due-day reminder sent a day late', async () => {
    // Due on Sunday: the due-day reminder moves to Monday.
    const { invoiceId, handle } = await start({ issueInDays: -1, dueInDays: -1 });
    await harness.withWorker(() => advance(0.5));
    const email = (await messagesOf(invoiceId)).find((m) => m.step_key === 'due-day-email#0');
    expect(email?.subject).toMatch(/1 Tag überfällig$/);
    expect(email?.body_text).not.toMatch(/heute/i);
    await handle.terminate('test over');
  });

  it('sends one message a day across channels when the policy says so', async () => {
    const { invoiceId, handle } = await start({
      dueInDays: 0,
      policy: { ...DEFAULT_POLICY, mergeAcrossChannels: true },
    });
    await harness.withWorker(() => advance(0.5));
    expect(await messageSteps(invoiceId)).toEqual(['due-day-email#0:email']);
    const { history } = await stateOf(handle);
    expect(history).toContainEqual(
      expect.objectContaining({ event: 'step.merged', stepId: 'due-day-sms#0' }),
    );
    await handle.terminate('test over');
  });

  it('sends the e-mail and the SMS of one day when the policy merges per channel (the default)', async () => {
    const { invoiceId, handle } = await start({ dueInDays: 0 });
    await harness.withWorker(() => advance(0.5));
    expect(await messageSteps(invoiceId)).toEqual(['due-day-email#0:email', 'due-day-sms#0:sms']);
    await handle.terminate('test over');
  });
});

describe('bad data never stops a sequence', () => {
  it('turns a template missing at send time into a finance task and goes on', async () => {
    const policy: ReminderPolicy = {
      ...DEFAULT_POLICY,
      steps: DEFAULT_POLICY.steps.map((step) =>
        step.key === 'due-day-sms' ? { ...step, templateKey: 'no-such-template' } : step,
      ),
    };
    // Stored past the editor's completeness check, as a policy saved before it existed would be.
    const { invoiceId, handle } = await start({ dueInDays: 0, policy });
    await harness.withWorker(() => advance(2.5));
    const tasks = await harness.db
      .selectFrom('tasks')
      .select(['kind', 'details'])
      .where('invoice_id', '=', invoiceId)
      .execute();
    expect(tasks).toContainEqual({
      kind: 'failed_message',
      details: expect.objectContaining({ reason: "no sms template 'no-such-template' in de or en" }),
    });
    // The e-mail of that day and the next reminder still went out; the workflow is running.
    expect(await messageSteps(invoiceId)).toEqual(['due-day-email#0:email', 'overdue-email#0:email']);
    expect((await stateOf(handle)).status).toBe('active');
    await handle.terminate('test over');
  });
});

describe('statutory charges in the final notice', () => {
  async function finalNotice(policy: ReminderPolicy) {
    const { invoiceId, handle } = await start({ issueInDays: -40, dueInDays: -21, policy });
    await harness.withWorker(() => advance(0.5));
    await handle.terminate('test over');
    return (await messagesOf(invoiceId)).find((m) => m.step_key === 'final-notice-letter#0');
  }

  it('claims them with their calculation when the policy does', async () => {
    const letter = await finalNotice(DEFAULT_POLICY);
    expect(letter?.status).toBe('sent');
    expect(letter?.body_text).toContain('Verzugszinsen');
  });

  it('sends the letter without them when the policy claims none (it used to fail into a task)', async () => {
    const letter = await finalNotice({ ...DEFAULT_POLICY, lateCharges: false });
    expect(letter?.status).toBe('sent');
    expect(letter?.body_text).not.toContain('Verzugszinsen');
  });
});
