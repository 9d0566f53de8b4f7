import { recordOfflinePayment } from '@settle/core';
import {
  addDays,
  DEFAULT_POLICY,
  isBusinessDay,
  localDateOf,
  localDateTimeToInstant,
  type ReminderPolicy,
} from '@settle/domain';
import { invoiceWorkflowId, startInvoiceReminders } from '@settle/workflows';
import type { invoiceReminderWorkflow } from '@settle/workflows/workflows';
import { type Harness, seedInvoice } from './workflow-harness';

export const DAY = 86_400_000;
export const ZONE = 'Europe/Berlin';

const base = { minBalanceMinor: 0, onlyWhenOverdue: false, onlyIfUnpaidSincePrevious: false };
/** A daily e-mail for 40 days, then the hand-over: more steps than one run does before continuing as new. */
export const DAILY_POLICY: ReminderPolicy = {
  ...DEFAULT_POLICY,
  steps: [
    {
      ...base,
      key: 'daily',
      anchor: 'due_date',
      offsetDays: 1,
      channel: 'email',
      templateKey: 'overdue',
      escalation: 'firm',
      repeat: { everyDays: 1, maxTimes: 40 },
    },
    {
      ...base,
      key: 'handover',
      anchor: 'due_date',
      offsetDays: 60,
      channel: 'collections',
      templateKey: 'collections-handover',
      escalation: 'collections',
    },
  ],
};

/** Scenario helpers over a time-skipping harness (created in the test file's beforeAll). */
export function scenarioHelpers(current: () => Harness) {
  const started: { terminate(reason: string): Promise<unknown> }[] = [];

  /**
   * Ends the workflows a test started and left running (a failed assertion skips its own clean-up):
   * on the time-skipping server a workflow with a timer and no worker holds the clock still for the
   * next test, which would then time out instead of the one that failed.
   */
  async function stopLeftovers(): Promise<void> {
    for (const handle of started.splice(0)) await handle.terminate('test over').catch(() => {});
  }
  const track = <T extends { terminate(reason: string): Promise<unknown> }>(handle: T): T => {
    started.push(handle);
    return handle;
  };

  async function serverToday(): Promise<string> {
    return localDateOf(await current().env.currentTimeMs(), ZONE);
  }

  /**
   * The test server's clock starts at the wall clock, so each test first skips to 06:00 on a Monday of a
   * week without public holidays: the same weekday and hour whatever day CI runs on.
   */
  async function alignToMondayMorning(): Promise<void> {
    let day = addDays(await serverToday(), 1);
    const fullWeek = (monday: string) =>
      [0, 1, 2, 3, 4].every((i) => isBusinessDay(addDays(monday, i), 'DE'));
    while (new Date(`${day}T00:00:00Z`).getUTCDay() !== 1 || !fullWeek(day)) day = addDays(day, 1);
    await current().env.sleep(
      localDateTimeToInstant(day, '06:00', ZONE) - (await current().env.currentTimeMs()),
    );
  }

  async function start(options: {
    issueInDays?: number;
    dueInDays: number;
    totalMinor?: number;
    policy?: ReminderPolicy;
  }) {
    await alignToMondayMorning();
    const today = await serverToday();
    const seeded = await seedInvoice(current().db, {
      policy: options.policy ?? DEFAULT_POLICY,
      issueDate: addDays(today, options.issueInDays ?? 0),
      dueDate: addDays(today, options.dueInDays),
      ...(options.totalMinor ? { totalMinor: options.totalMinor } : {}),
    });
    await startInvoiceReminders(current().env.client, seeded.invoiceId, { taskQueue: current().taskQueue });
    const handle = track(
      current().env.client.workflow.getHandle<typeof invoiceReminderWorkflow>(
        invoiceWorkflowId(seeded.invoiceId),
      ),
    );
    return { ...seeded, handle };
  }

  /** Step keys of the messages recorded for an invoice, oldest first. */
  async function messageSteps(invoiceId: string): Promise<string[]> {
    const rows = await current()
      .db.selectFrom('communications as c')
      .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
      .select(['c.step_key', 'c.channel', 'c.status'])
      .where('ci.invoice_id', '=', invoiceId)
      .orderBy('c.created_at')
      .orderBy('c.step_key')
      .execute();
    return rows.map((r) => `${r.step_key}:${r.channel}`);
  }

  async function taskKinds(invoiceId: string): Promise<string[]> {
    const rows = await current()
      .db.selectFrom('tasks')
      .select('kind')
      .where('invoice_id', '=', invoiceId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => r.kind);
  }

  /** A bank transfer recorded as finance would (database, then the workflow's signal), at server time. */
  async function payOffline(invoiceId: string, amountMinor: number) {
    const invoice = await current()
      .db.selectFrom('invoices')
      .select('organization_id')
      .where('id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    const at = await current().env.currentTimeMs();
    return recordOfflinePayment(
      { db: current().db, temporal: current().env.client, now: () => new Date(at) },
      {
        organizationId: invoice.organization_id,
        invoiceId,
        amountMinor,
        currency: 'EUR',
        reference: `bank-${Math.random().toString(36).slice(2)}`,
        method: 'bank_transfer',
        actor: { type: 'system' },
      },
    );
  }

  return {
    serverToday,
    alignToMondayMorning,
    start,
    messageSteps,
    taskKinds,
    track,
    stopLeftovers,
    payOffline,
  };
}
