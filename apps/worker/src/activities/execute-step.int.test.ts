import { databaseEnv, loadConfig } from '@settle/config';
import { insertInvoice } from '@settle/db';
import { createTestDatabase, type TestDatabase } from '@settle/db/testing';
import { addDays, DEFAULT_POLICY, localDateOf, planReminders } from '@settle/domain';
import { createLogger } from '@settle/logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientProviderError } from '../providers/types';
import { RecordingSender, seedInvoice } from '../testing/workflow-harness';
import { createActivities } from './index';

// The send activity against a real database, called directly at a fixed time.
const { DATABASE_URL } = loadConfig(databaseEnv);
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase(DATABASE_URL);
});
afterAll(async () => {
  await testDb?.drop();
});

/** The activities at a fixed instant, with a recording e-mail sender. */
function activitiesAt(instant: number) {
  const email = new RecordingSender();
  const activities = createActivities({
    db: testDb.db,
    email,
    sms: new RecordingSender(),
    logger: createLogger('test', 'silent'),
    portalBaseUrl: 'http://portal.test',
    now: () => new Date(instant),
  });
  return { activities, email };
}

/**
 * Two open invoices of one customer due on `dueDate`, and the first one's due-day e-mail step: the
 * step both invoices have on that day.
 */
async function twoInvoicesDueOn(dueDate: string, secondNumber: string) {
  const seeded = await seedInvoice(testDb.db, {
    policy: DEFAULT_POLICY,
    issueDate: addDays(dueDate, -30),
    dueDate,
  });
  const second = await insertInvoice(testDb.db, {
    organization_id: seeded.organization.id,
    customer_id: seeded.customer.id,
    number: secondNumber,
    currency: 'EUR',
    total_minor: 50_000,
    issue_date: addDays(dueDate, -20),
    due_date: dueDate,
    lines: [],
  });
  return { seeded, second, step: dueDayEmailStep(seeded.invoiceId, dueDate) };
}

/** The default policy's due-day e-mail step of an invoice issued 30 days before `dueDate`. */
function dueDayEmailStep(invoiceId: string, dueDate: string) {
  const step = planReminders({
    issueDate: addDays(dueDate, -30),
    dueDate,
    timeZone: 'Europe/Berlin',
    country: 'DE',
    policy: DEFAULT_POLICY,
    jitterKey: invoiceId,
  }).find((s) => s.id === 'due-day-email#0');
  if (!step) throw new Error('no due-day step planned');
  return step;
}

describe('executeStep', () => {
  it('sends one message for two invoices of a customer due the same day, and the second step merges into it', async () => {
    const dueDate = '2026-12-02'; // a Wednesday
    const { seeded, second, step } = await twoInvoicesDueOn(dueDate, 'INV-SECOND');
    const { activities, email } = activitiesAt(step.sendAt);
    expect(localDateOf(step.sendAt, 'Europe/Berlin')).toBe(dueDate);

    const firstOutcome = await activities.executeStep({
      invoiceId: seeded.invoiceId,
      workflowId: `invoice-${seeded.invoiceId}`,
      idempotencyKey: `invoice-${seeded.invoiceId}/step-${step.id}`,
      step,
    });
    const secondOutcome = await activities.executeStep({
      invoiceId: second.id,
      workflowId: `invoice-${second.id}`,
      idempotencyKey: `invoice-${second.id}/step-${step.id}`,
      step,
    });
    expect(firstOutcome.status).toBe('sent');
    expect(secondOutcome).toEqual({
      status: 'merged',
      communicationId: (firstOutcome as { communicationId: string }).communicationId,
    });
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]?.text).toContain('INV-SECOND');
    const links = await testDb.db.selectFrom('communication_invoices').select('invoice_id').execute();
    expect(links.map((l) => l.invoice_id).sort()).toEqual([seeded.invoiceId, second.id].sort());
  });

  it('does not count a notice sent earlier that day as the reminder: a payment-failed notice covers no step', async () => {
    const dueDate = '2026-12-16'; // a Wednesday
    const seeded = await seedInvoice(testDb.db, {
      policy: DEFAULT_POLICY,
      issueDate: addDays(dueDate, -30),
      dueDate,
    });
    const step = dueDayEmailStep(seeded.invoiceId, dueDate);
    const { activities, email } = activitiesAt(step.sendAt);
    const notice = await activities.sendNotice({
      invoiceId: seeded.invoiceId,
      idempotencyKey: `invoice-${seeded.invoiceId}/step-payment-failed@evt_1`,
      notice: 'payment-failed',
    });
    expect(notice.status).toBe('sent');
    const reminder = await activities.executeStep({
      invoiceId: seeded.invoiceId,
      workflowId: `invoice-${seeded.invoiceId}`,
      idempotencyKey: `invoice-${seeded.invoiceId}/step-${step.id}`,
      step,
    });
    expect(reminder.status).toBe('sent');
    expect(email.sent).toHaveLength(2);
  });

  it('cancels a thank-you an earlier attempt recorded when the retry finds the invoice reopened', async () => {
    const seeded = await seedInvoice(testDb.db, {
      policy: DEFAULT_POLICY,
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
    });
    await testDb.db
      .updateTable('invoices')
      .set({ status: 'paid', paid_minor: 125_000 })
      .where('id', '=', seeded.invoiceId)
      .execute();
    const { activities, email } = activitiesAt(Date.parse('2026-11-20T10:00:00Z'));
    const input = {
      invoiceId: seeded.invoiceId,
      idempotencyKey: `invoice-${seeded.invoiceId}/step-thank-you`,
      notice: 'thank-you' as const,
    };
    // The first attempt records the thank-you; its answer is lost (the worker died).
    expect(await activities.prepareNotice(input)).toHaveProperty('communicationId');
    // A charge-back reopens the invoice before the retry.
    await testDb.db
      .updateTable('invoices')
      .set({ status: 'open', paid_minor: 0 })
      .where('id', '=', seeded.invoiceId)
      .execute();
    expect(await activities.prepareNotice(input)).toEqual({ status: 'skipped', reason: 'invoice open' });
    const message = await testDb.db
      .selectFrom('communications')
      .select('status')
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirstOrThrow();
    expect(message.status).toBe('cancelled');
    expect(email.sent).toHaveLength(0);
  });

  it('never sends twice for one idempotency key, even when called again after success', async () => {
    const seeded = await seedInvoice(testDb.db, {
      policy: DEFAULT_POLICY,
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
    });
    const [step] = planReminders({
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
      timeZone: 'Europe/Berlin',
      country: 'DE',
      policy: DEFAULT_POLICY,
    });
    if (!step) throw new Error('no step planned');
    const { activities, email } = activitiesAt(step.sendAt);
    const input = {
      invoiceId: seeded.invoiceId,
      workflowId: `invoice-${seeded.invoiceId}`,
      idempotencyKey: `invoice-${seeded.invoiceId}/step-${step.id}`,
      step,
    };
    const first = await activities.executeStep(input);
    const retried = await activities.executeStep(input);
    expect(retried).toEqual(first);
    expect(email.sent).toHaveLength(1);
  });

  it('lets only a sent message cover another invoice: a pending one makes the companion wait, a cancelled one covers nothing', async () => {
    const { seeded, second, step } = await twoInvoicesDueOn('2026-12-09', 'INV-COMPANION');
    const input = (invoiceId: string) => ({
      invoiceId,
      workflowId: `invoice-${invoiceId}`,
      idempotencyKey: `invoice-${invoiceId}/step-${step.id}`,
      step,
    });
    const flaky = createActivities({
      db: testDb.db,
      email: {
        provider: 'outbox',
        send: async () => {
          throw new TransientProviderError('resend: 503', { taken: 'no' });
        },
      },
      sms: new RecordingSender(),
      logger: createLogger('test', 'silent'),
      portalBaseUrl: 'http://portal.test',
      now: () => new Date(step.sendAt),
    });
    // The first invoice records one message listing both, then the provider fails for now.
    await expect(flaky.executeStep(input(seeded.invoiceId))).rejects.toThrow('resend: 503');
    const { activities, email } = activitiesAt(step.sendAt + 60_000);
    // Not merged into a message that has not gone out: the step retries until it has, or is dropped.
    await expect(activities.executeStep(input(second.id))).rejects.toMatchObject({
      type: 'CoveringMessagePending',
    });
    // Paid before the retry: the first step is skipped and its message will never go out.
    await testDb.db
      .updateTable('invoices')
      .set({ status: 'paid', paid_minor: 125_000 })
      .where('id', '=', seeded.invoiceId)
      .execute();
    expect(await activities.executeStep(input(seeded.invoiceId))).toEqual({
      status: 'skipped',
      reason: 'invoice paid',
    });
    const cancelled = await testDb.db
      .selectFrom('communications')
      .select(['status'])
      .where('idempotency_key', '=', `invoice-${seeded.invoiceId}/step-${step.id}`)
      .executeTakeFirstOrThrow();
    expect(cancelled.status).toBe('cancelled');
    // So the companion's reminder is not lost: it goes out on its own.
    expect((await activities.executeStep(input(second.id))).status).toBe('sent');
    expect(email.sent).toHaveLength(1);
    expect(email.sent[0]?.text).toContain('INV-COMPANION');
    const first = await testDb.db
      .selectFrom('invoices')
      .select('number')
      .where('id', '=', seeded.invoiceId)
      .executeTakeFirstOrThrow();
    expect(email.sent[0]?.text).not.toContain(first.number);
  });

  /**
   * The provider takes the message but its answer is lost (a timeout, a reset connection, a killed
   * worker); the invoice is paid before the retry. `has` says whether the provider has the message.
   */
  async function paidAfterUnansweredSend(dueDate: string, number: string, has: boolean) {
    const { seeded, second, step } = await twoInvoicesDueOn(dueDate, number);
    const input = (invoiceId: string) => ({
      invoiceId,
      workflowId: `invoice-${invoiceId}`,
      idempotencyKey: `invoice-${invoiceId}/step-${step.id}`,
      step,
    });
    const provider = new RecordingSender();
    const unanswered = createActivities({
      db: testDb.db,
      email: {
        provider: 'outbox',
        timeoutMs: 50,
        send: async (message) => {
          if (has) await provider.send(message);
          throw new TransientProviderError('resend: no answer within 50 ms', { taken: 'unknown' });
        },
      },
      sms: new RecordingSender(),
      logger: createLogger('test', 'silent'),
      portalBaseUrl: 'http://portal.test',
      now: () => new Date(step.sendAt),
    });
    await expect(unanswered.executeStep(input(seeded.invoiceId))).rejects.toThrow('no answer');
    await testDb.db
      .updateTable('invoices')
      .set({ status: 'paid', paid_minor: 125_000 })
      .where('id', '=', seeded.invoiceId)
      .execute();
    // The retry, after the provider timeout (the database's clock), with a sender that can look it up.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lookups: string[] = [];
    const retried = createActivities({
      db: testDb.db,
      email: {
        provider: 'outbox',
        timeoutMs: 50,
        send: (message) => provider.send(message),
        findSent: async (message) => {
          lookups.push(message.idempotencyKey);
          const found = provider.sent.find((sent) => sent.idempotencyKey === message.idempotencyKey);
          return found ? { providerMessageId: 'msg_found' } : null;
        },
      },
      sms: new RecordingSender(),
      logger: createLogger('test', 'silent'),
      portalBaseUrl: 'http://portal.test',
      now: () => new Date(step.sendAt + 60_000),
    });
    const outcome = await retried.executeStep(input(seeded.invoiceId));
    const message = await testDb.db
      .selectFrom('communications')
      .select(['id', 'status', 'provider_message_id'])
      .where('idempotency_key', '=', `invoice-${seeded.invoiceId}/step-${step.id}`)
      .executeTakeFirstOrThrow();
    const companion = await retried.executeStep(input(second.id));
    return { outcome, message, companion, provider, lookups };
  }

  it('records as sent, not cancelled, a message the provider took without answering when its invoice is paid before the retry, so it still covers the companion', async () => {
    const { outcome, message, companion, provider, lookups } = await paidAfterUnansweredSend(
      '2026-12-23',
      'INV-TAKEN',
      true,
    );
    expect(lookups).toHaveLength(1);
    expect(message).toMatchObject({ status: 'sent', provider_message_id: 'msg_found' });
    expect(outcome).toEqual({ status: 'sent', communicationId: message.id });
    // The companion was in that message: it is not reminded a second time.
    expect(companion).toEqual({ status: 'merged', communicationId: message.id });
    expect(provider.sent).toHaveLength(1);
  });

  it('cancels a message whose send got no answer when the provider does not have it and the invoice was paid meanwhile', async () => {
    const { outcome, message, companion, provider } = await paidAfterUnansweredSend(
      '2026-12-30',
      'INV-NOT-TAKEN',
      false,
    );
    expect(message.status).toBe('cancelled');
    expect(outcome).toEqual({ status: 'skipped', reason: 'invoice paid' });
    expect(companion.status).toBe('sent');
    expect(provider.sent).toHaveLength(1);
    expect(provider.sent[0]?.text).toContain('INV-NOT-TAKEN');
  });
});
