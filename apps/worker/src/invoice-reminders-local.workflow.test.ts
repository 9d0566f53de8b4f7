import { addDays, DEFAULT_POLICY, localDateOf, nextSendTime } from '@settle/domain';
import {
  invoiceWorkflowId,
  messageWorkflowId,
  paymentRecordedSignal,
  startInvoiceReminders,
  stateQuery,
} from '@settle/workflows';
import type { invoiceReminderWorkflow } from '@settle/workflows/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, seedInvoice } from './testing/workflow-harness';

// A round trip on the real Temporal dev server (the CLI built by the set-up), wall-clock time.
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({ server: 'local' });
});
afterAll(async () => {
  await harness?.close();
});

describe('invoice reminder workflow on the Temporal dev server', () => {
  it('starts once per invoice, answers its state query, and ends as paid with a thank-you', async () => {
    const today = localDateOf(Date.now(), 'Europe/Berlin');
    const { invoiceId } = await seedInvoice(harness.db, {
      policy: DEFAULT_POLICY,
      issueDate: today,
      dueDate: addDays(today, 30),
    });
    const client = harness.env.client;
    const windowOpen = (at: number) =>
      nextSendTime(at, {
        timeZone: 'Europe/Berlin',
        country: 'DE',
        sendWindow: DEFAULT_POLICY.sendWindow,
        jitterKey: invoiceId,
      }) <= at;
    let windowOpenAtPayment = false;
    await harness.withWorker(async () => {
      expect(await startInvoiceReminders(client, invoiceId, { taskQueue: harness.taskQueue })).toEqual({
        workflowId: invoiceWorkflowId(invoiceId),
        started: true,
      });
      // Starting twice is harmless.
      expect((await startInvoiceReminders(client, invoiceId, { taskQueue: harness.taskQueue })).started).toBe(
        false,
      );

      const handle = client.workflow.getHandle<typeof invoiceReminderWorkflow>(invoiceWorkflowId(invoiceId));
      const state = await handle.query(stateQuery);
      expect(state.ended).toBeNull();
      expect(state.history[0]?.event).toBe('started');

      await harness.db
        .updateTable('invoices')
        .set({ paid_minor: 125_000, status: 'paid', paid_at: new Date() })
        .where('id', '=', invoiceId)
        .execute();
      windowOpenAtPayment = windowOpen(Date.now());
      await handle.signal(paymentRecordedSignal, { amountMinor: 125_000, fullyPaid: true });
      const result = await handle.result();
      expect(result.outcome).toBe('paid');
    });
    // The thank-you is recorded at once and delivered inside the customer's send window: now if it
    // is open (this test runs at any hour), else by a delivery workflow waiting for the morning.
    const thanks = await harness.db
      .selectFrom('communications')
      .select(['id', 'status'])
      .where('idempotency_key', '=', `${invoiceWorkflowId(invoiceId)}/step-thank-you`)
      .execute();
    expect(thanks).toHaveLength(1);
    const delivery = client.workflow.getHandle(messageWorkflowId(thanks[0]?.id ?? ''));
    if (windowOpenAtPayment && windowOpen(Date.now())) {
      expect(thanks[0]?.status).toBe('sent');
      expect(harness.email.sent.filter((m) => m.idempotencyKey.endsWith('/step-thank-you'))).toHaveLength(1);
    } else if (!windowOpenAtPayment && !windowOpen(Date.now())) {
      expect(thanks[0]?.status).toBe('pending');
      expect((await delivery.describe()).status.name).toBe('RUNNING');
      await delivery.terminate('test over');
    }
    // (A window opening or closing during the test leaves either outcome right.)
  });
});
