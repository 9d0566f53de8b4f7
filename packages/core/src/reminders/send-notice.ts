import { closeActivePromiseToPay, getInvoiceHolds, insertTaskOnce, inTransaction } from '@settle/db';
import { planThankYou } from '@settle/domain';
import type { StepOutcome } from '@settle/workflows';
import { deliverRecordedMessage } from './deliver-recorded-message';
import type { ReminderDeps } from './message-ports';
import { type MessageChannel, recordReminderMessage } from './record-reminder-message';
import { loadReminderContext } from './reminder-context';

/** One-off messages outside the plan: the thank-you after payment, a promise missed, a payment failed. */
export type NoticeKey = 'thank-you' | 'promise-missed' | 'payment-failed';

export interface NoticeInput {
  invoiceId: string;
  idempotencyKey: string;
  notice: NoticeKey;
  /** The promised day, `YYYY-MM-DD`, for the promise-missed notice. */
  promiseDate?: string | undefined;
}

/**
 * Records a notice for later delivery, or says why none goes out. The thank-you follows the policy:
 * its `paid`-anchored step decides channel and template, and a policy without one thanks nobody. A
 * promise-missed or payment-failed notice goes out only while the invoice is open and not on hold.
 */
export async function prepareNotice(
  deps: ReminderDeps,
  input: NoticeInput,
): Promise<{ communicationId: string } | Exclude<StepOutcome, { status: 'sent' | 'merged' }>> {
  return inTransaction(deps.db, async (tx) => {
    const context = await loadReminderContext(tx, input.invoiceId, { lock: true });
    if (!context) return { status: 'skipped', reason: 'invoice not found' };
    const { invoice } = context;
    let channel: MessageChannel = 'email';
    let templateKey: string = input.notice;
    let stepKey: string = input.notice;
    if (input.notice === 'thank-you') {
      if (invoice.status !== 'paid') return { status: 'skipped', reason: `invoice ${invoice.status}` };
      const step = planThankYou(context.policy);
      if (!step) return { status: 'skipped', reason: 'the policy sends no thank-you' };
      if (step.channel === 'call' || step.channel === 'collections') {
        return { status: 'skipped', reason: `a thank-you cannot go by ${step.channel}` };
      }
      channel = step.channel;
      templateKey = step.templateKey;
      stepKey = step.key;
    } else {
      if (invoice.status !== 'open') return { status: 'skipped', reason: `invoice ${invoice.status}` };
      if (input.notice === 'promise-missed') {
        // The broken promise no longer holds reminders back, here or after a restart.
        await closeActivePromiseToPay(tx, invoice.id, 'missed', deps.now());
      }
      const { holds } = await getInvoiceHolds(tx, invoice);
      if (holds.length > 0) return { status: 'skipped', reason: `invoice on hold: ${holds.join(', ')}` };
    }
    const recorded = await recordReminderMessage(tx, deps, {
      context,
      idempotencyKey: input.idempotencyKey,
      stepKey,
      channel,
      templateKey,
      invoices: [invoice],
      promiseDate: input.promiseDate,
    });
    if ('communicationId' in recorded) return { communicationId: recorded.communicationId };
    const task = await insertTaskOnce(tx, {
      organization_id: invoice.organization_id,
      kind: 'failed_message',
      idempotency_key: `${input.idempotencyKey}/no-contact`,
      customer_id: invoice.customer_id,
      invoice_id: invoice.id,
      title: `Could not prepare the ${input.notice} ${channel} message for ${context.customer.name}`,
      details: { notice: input.notice, reason: recorded.problem },
    });
    return { status: 'failed', reason: recorded.problem, taskId: task.id };
  });
}

/** Records a notice and delivers it at once (the workflow waits for the send window first). */
export async function sendNotice(deps: ReminderDeps, input: NoticeInput): Promise<StepOutcome> {
  const prepared = await prepareNotice(deps, input);
  return 'communicationId' in prepared ? deliverRecordedMessage(deps, prepared.communicationId) : prepared;
}
