import { saveReminderPolicy } from '@settle/core';
import { insertInvoice, upsertTemplate } from '@settle/db';
import { seedTenant } from '@settle/db/testing';
import {
  DEFAULT_POLICY,
  DEFAULT_TEMPLATES,
  localDateTimeToInstant,
  previewSchedule,
  type ReminderPolicy,
  SMS_SCENARIO_POLICY,
} from '@settle/domain';
import { invoiceWorkflowId, startInvoiceReminders } from '@settle/workflows';
import type { invoiceReminderWorkflow } from '@settle/workflows/workflows';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './testing/workflow-harness';

// The schedule preview is a promise: what it shows is what the workflow then sends. Each policy runs
// to its end on the time-skipping server for a Polish customer whose sequence crosses the start of
// summer time and Easter Monday, and every message and task is compared, to the minute, with the
// preview made when the invoice was issued.
// A server per test: its clock only moves forward, and after a workflow's result the test server may
// leap to that workflow's run timeout, so each test starts from the wall clock again.
let harness: Harness;
beforeEach(async () => {
  harness = await createHarness({ server: 'time-skipping' });
});
afterEach(async () => {
  await harness?.close();
});

const ZONE = 'Europe/Warsaw';
const minute = (at: Date | string) => new Date(at).toISOString().slice(0, 16);

async function runToEnd(policy: ReminderPolicy, issueDate: string, dueDate: string) {
  // The server clock starts at the wall clock: move it to 05:00 on the issue day.
  const issueMorning = localDateTimeToInstant(issueDate, '05:00', ZONE);
  await harness.env.sleep(issueMorning - (await harness.env.currentTimeMs()));
  const { organization, customer } = await seedTenant(harness.db, {
    customer: { country: 'PL', locale: 'pl', time_zone: ZONE },
  });
  await saveReminderPolicy(harness.db, {
    organizationId: organization.id,
    name: 'Test',
    isDefault: true,
    policy,
  });
  for (const template of DEFAULT_TEMPLATES) {
    await upsertTemplate(harness.db, { organization_id: organization.id, ...template });
  }
  const invoice = await insertInvoice(harness.db, {
    organization_id: organization.id,
    customer_id: customer.id,
    number: `FV/${Math.random().toString(36).slice(2, 8)}`,
    currency: 'PLN',
    total_minor: 480_000,
    issue_date: issueDate,
    due_date: dueDate,
    lines: [],
  });
  const preview = previewSchedule({
    policy,
    issueDate,
    dueDate,
    timeZone: ZONE,
    country: 'PL',
    jitterKey: invoice.id,
    now: await harness.env.currentTimeMs(),
  });
  await startInvoiceReminders(harness.env.client, invoice.id, { taskQueue: harness.taskQueue });
  const handle = harness.env.client.workflow.getHandle<typeof invoiceReminderWorkflow>(
    invoiceWorkflowId(invoice.id),
  );
  const result = await harness.withWorker(() => handle.result());

  const messages = await harness.db
    .selectFrom('communications as c')
    .innerJoin('communication_invoices as ci', 'ci.communication_id', 'c.id')
    .select(['c.step_key', 'c.channel', 'c.created_at', 'c.status'])
    .where('ci.invoice_id', '=', invoice.id)
    .execute();
  const tasks = await harness.db
    .selectFrom('tasks')
    .select(['kind', 'details', 'created_at'])
    .where('invoice_id', '=', invoice.id)
    .where('kind', 'in', ['call', 'collections_handover'])
    .execute();
  const sent = [
    ...messages.map((m) => `${m.step_key} ${m.channel} ${minute(m.created_at)} ${m.status}`),
    ...tasks.map(
      (t) =>
        `${String(t.details.stepId)} ${t.kind === 'call' ? 'call' : 'collections'} ${minute(t.created_at)} task`,
    ),
  ].sort();
  const previewed = preview.entries
    .filter((entry) => entry.status === 'planned')
    .map(
      (entry) =>
        `${entry.stepId} ${entry.channel} ${minute(entry.sendAt)} ${entry.channel === 'call' || entry.channel === 'collections' ? 'task' : 'sent'}`,
    )
    .sort();
  return { result, sent, previewed, preview };
}

describe('the schedule preview equals what the workflow sends', () => {
  it('for the default policy across summer time and Easter Monday', async () => {
    const { result, sent, previewed, preview } = await runToEnd(DEFAULT_POLICY, '2027-03-01', '2027-03-26');
    expect(result.outcome).toBe('in_collections');
    expect(sent).toEqual(previewed);
    // The first reminder after the due date falls on Sunday 28 March and moves past Easter Monday.
    const overdue = preview.entries.find((entry) => entry.stepId === 'overdue-email#0');
    expect(overdue).toMatchObject({ localDate: '2027-03-30', utcOffset: '+02:00' });
    expect(overdue?.movedBecause).toEqual(expect.arrayContaining(['weekend', 'holiday']));
  });

  it('for the SMS scenario preset across summer time and Easter Monday', async () => {
    // Summer time from 26 March 2028, and the hand-over, 21 days after a due date of 27 March,
    // falls on Easter Monday, 17 April 2028.
    const { result, sent, previewed, preview } = await runToEnd(
      SMS_SCENARIO_POLICY,
      '2028-03-01',
      '2028-03-27',
    );
    expect(result.outcome).toBe('in_collections');
    expect(sent).toEqual(previewed);
    expect(sent.filter((line) => line.includes(' sms '))).toHaveLength(6);
    expect(preview.entries.find((entry) => entry.channel === 'collections')).toMatchObject({
      localDate: '2028-04-18',
      movedBecause: ['holiday'],
    });
  });
});
