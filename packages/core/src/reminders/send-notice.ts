import {
  cancelUnsentCommunicationByKey,
  closeActivePromiseToPay,
  type DbOrTx,
  findCommunicationByKey,
  getInvoiceHolds,
  insertTaskOnce,
  inTransaction,
  listOpenInvoicesOfCustomer,
} from '@settle/db';
import { planThankYou } from '@settle/domain';
import type { StepOutcome } from '@settle/workflows';
import { deliverRecordedMessage } from './deliver-recorded-message';
import type { ReminderDeps } from './message-ports';
import {
  type DraftedMessage,
  draftReminderMessage,
  insertDraftedMessage,
  type MessageChannel,
  type RecordMessageInput,
} from './record-reminder-message';
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

type PreparedNotice = { communicationId: string } | Exclude<StepOutcome, { status: 'sent' | 'merged' }>;

type NoticePlan =
  | { kind: 'outcome'; outcome: PreparedNotice }
  | { kind: 'message'; message: RecordMessageInput; fingerprint: string };

/** A rendering that went stale before its claim is redone this many times, then done under the lock. */
const RENDER_ROUNDS = 2;

/**
 * Records a notice for later delivery, or says why none goes out. The thank-you follows the policy:
 * its `paid`-anchored step decides channel and template, and a policy without one thanks nobody. A
 * promise-missed or payment-failed notice goes out only while the invoice is open and not on hold.
 * Like a reminder step (docs/decisions/0009-short-send-transactions.md), the notice is rendered
 * outside any transaction and recorded under the customer's lock only if what it was rendered from
 * is unchanged.
 */
export async function prepareNotice(deps: ReminderDeps, input: NoticeInput): Promise<PreparedNotice> {
  for (let round = 1; ; round++) {
    const renderUnderLock = round > RENDER_ROUNDS;
    let rendered: { fingerprint: string; result: Awaited<ReturnType<typeof draftReminderMessage>> } | null =
      null;
    if (!renderUnderLock) {
      const draft = await decideNotice(deps.db, deps, input, { lock: false });
      if (draft.kind === 'message') {
        rendered = {
          fingerprint: draft.fingerprint,
          result: await draftReminderMessage(deps.db, deps, draft.message),
        };
      }
    }
    const prepared = await inTransaction(deps.db, async (tx): Promise<PreparedNotice | 'stale'> => {
      const plan = await decideNotice(tx, deps, input, { lock: true });
      if (plan.kind === 'outcome') {
        // An earlier attempt may have recorded the notice before the invoice changed (a thank-you
        // for an invoice a charge-back reopened): it never goes out, and no longer shows as pending.
        const { outcome } = plan;
        if ('status' in outcome && outcome.status === 'skipped')
          await cancelUnsentCommunicationByKey(tx, input.idempotencyKey, outcome.reason);
        return plan.outcome;
      }
      const fresh = renderUnderLock
        ? { fingerprint: plan.fingerprint, result: await draftReminderMessage(tx, deps, plan.message) }
        : rendered;
      if (!fresh || fresh.fingerprint !== plan.fingerprint) return 'stale';
      if ('drafted' in fresh.result) return recordDrafted(tx, fresh.result.drafted);
      const { context } = plan.message;
      const task = await insertTaskOnce(tx, {
        organization_id: context.invoice.organization_id,
        kind: 'failed_message',
        idempotency_key: `${input.idempotencyKey}/no-contact`,
        customer_id: context.invoice.customer_id,
        invoice_id: context.invoice.id,
        title: `Could not prepare the ${input.notice} ${plan.message.channel} message for ${context.customer.name}`,
        details: { notice: input.notice, reason: fresh.result.problem },
      });
      return { status: 'failed', reason: fresh.result.problem, taskId: task.id };
    });
    if (prepared !== 'stale') return prepared;
  }
}

async function recordDrafted(tx: DbOrTx, drafted: DraftedMessage): Promise<{ communicationId: string }> {
  const { communicationId } = await insertDraftedMessage(tx, drafted);
  return { communicationId };
}

/**
 * Decides the notice. Unlocked it is the draft that rendering follows (a promise-missed notice's
 * promise counts as closed, as the locked decision will close it); with `lock` it runs in the
 * claim's transaction, with the customer and invoice locked.
 */
async function decideNotice(
  db: DbOrTx,
  deps: ReminderDeps,
  input: NoticeInput,
  options: { lock: boolean },
): Promise<NoticePlan> {
  const outcome = (value: PreparedNotice): NoticePlan => ({ kind: 'outcome', outcome: value });
  const context = await loadReminderContext(db, input.invoiceId, { lock: options.lock });
  if (!context) return outcome({ status: 'skipped', reason: 'invoice not found' });
  const { invoice } = context;
  const existing = await findCommunicationByKey(db, invoice.organization_id, input.idempotencyKey);
  let channel: MessageChannel = 'email';
  let templateKey: string = input.notice;
  let stepKey: string = input.notice;
  if (input.notice === 'thank-you') {
    if (invoice.status !== 'paid') return outcome({ status: 'skipped', reason: `invoice ${invoice.status}` });
    const step = planThankYou(context.policy);
    if (!step) return outcome({ status: 'skipped', reason: 'the policy sends no thank-you' });
    if (step.channel === 'call' || step.channel === 'collections') {
      return outcome({ status: 'skipped', reason: `a thank-you cannot go by ${step.channel}` });
    }
    channel = step.channel;
    templateKey = step.templateKey;
    stepKey = step.key;
  } else {
    if (invoice.status !== 'open') return outcome({ status: 'skipped', reason: `invoice ${invoice.status}` });
    let { holds } = await getInvoiceHolds(db, invoice);
    if (input.notice === 'promise-missed') {
      if (options.lock) {
        // The broken promise no longer holds reminders back, here or after a restart.
        await closeActivePromiseToPay(db, invoice.id, 'missed', deps.now());
        ({ holds } = await getInvoiceHolds(db, invoice));
      } else {
        holds = holds.filter((hold) => hold !== 'promise');
      }
    }
    if (holds.length > 0)
      return outcome({ status: 'skipped', reason: `invoice on hold: ${holds.join(', ')}` });
  }
  if (existing) return outcome({ communicationId: existing.id });
  const message: RecordMessageInput = {
    context,
    idempotencyKey: input.idempotencyKey,
    stepKey,
    channel,
    templateKey,
    invoices: [invoice],
    promiseDate: input.promiseDate,
  };
  // What the rendering depends on: this invoice, the customer's open invoices (the total overdue),
  // the customer, the organization and the policy.
  const fingerprint = JSON.stringify({
    channel,
    templateKey,
    invoice,
    open: await listOpenInvoicesOfCustomer(db, invoice.organization_id, invoice.customer_id),
    customer: context.customer,
    organization: context.organization,
    policy: context.policy,
  });
  return { kind: 'message', message, fingerprint };
}

/** Records a notice and delivers it at once (the workflow waits for the send window first). */
export async function sendNotice(deps: ReminderDeps, input: NoticeInput): Promise<StepOutcome> {
  const prepared = await prepareNotice(deps, input);
  return 'communicationId' in prepared ? deliverRecordedMessage(deps, prepared.communicationId) : prepared;
}
