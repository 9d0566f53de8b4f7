import { type Db, inTransaction } from '@settle/db';
import type { PaymentSignal } from '@settle/workflows';
import { AppError } from '../errors';
import { confirmPayment } from './confirm-payment';
import { failPayment } from './fail-payment';
import { failPaymentAttempt } from './fail-payment-attempt';
import { markPaymentPending } from './mark-payment-pending';
import type { PaymentEventCommand } from './payment-event-command';
import type { ApplyContext } from './payment-event-context';
import { reversePayment } from './reverse-payment';
import { settlePayment } from './settle-payment';
import { updateMandateStatus } from './update-mandate-status';

/**
 * The payments-to-paid rules, provider-agnostic. A provider event (verified and stored by the webhook
 * or by reconciliation) is turned into commands by the payments package; this applies them to the
 * books in ONE transaction and decides which invoice workflows to signal. A duplicate or out-of-order
 * event changes nothing it should not: payments are unique by provider payment id and only move
 * forward (pending → confirmed → paid out), and reversals count cumulative amounts.
 */

export interface ApplyPaymentEventResult {
  organizationId: string | null;
  signals: PaymentSignal[];
  /** True when an earlier attempt had already applied this event. */
  alreadyApplied: boolean;
}

/**
 * Applies a stored provider event's commands in one transaction; returns the signals to send. Row
 * locks follow docs/decisions/0008-row-lock-order.md: the event's own row (only its application takes
 * it), then the customer, then its payment, attempt and invoices (by id); a deadlock or serialization
 * failure that still happens runs the whole transaction again.
 */
export async function applyPaymentEvent(
  db: Db,
  input: { webhookEventId: string; commands: PaymentEventCommand[]; now?: Date },
): Promise<ApplyPaymentEventResult> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const event = await tx
      .selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', input.webhookEventId)
      .forUpdate()
      .executeTakeFirst();
    if (!event) throw new AppError('NOT_FOUND', `webhook event ${input.webhookEventId} not found`);
    if (event.processed_at) {
      const stored = (event.result ?? { signals: [] }) as { signals: PaymentSignal[] };
      return { organizationId: event.organization_id, signals: stored.signals, alreadyApplied: true };
    }
    const context: ApplyContext = { tx, now, signals: [], organizationId: null, lockedCustomers: new Set() };
    for (const command of input.commands) await applyCommand(context, command);
    // A failure's notice is keyed on its event, so a signal sent twice (a retried activity) says it once.
    for (const s of context.signals) if (s.signal === 'paymentFailed') s.failureKey = event.id;
    await tx
      .updateTable('webhook_events')
      .set({
        processed_at: now,
        organization_id: context.organizationId,
        result: JSON.stringify({ signals: context.signals }),
        error: null,
      })
      .where('id', '=', event.id)
      .execute();
    return { organizationId: context.organizationId, signals: context.signals, alreadyApplied: false };
  });
}

async function applyCommand(context: ApplyContext, command: PaymentEventCommand): Promise<void> {
  switch (command.kind) {
    case 'succeeded':
      return confirmPayment(context, command);
    case 'pending':
      return markPaymentPending(context, command);
    case 'failed':
      return failPayment(context, command);
    case 'attempt_failed':
      return failPaymentAttempt(context, command);
    case 'reversed':
      return reversePayment(context, command);
    case 'settled':
      return settlePayment(context, command);
    case 'mandate':
      return updateMandateStatus(context, command);
    default: {
      const unknown: never = command;
      throw new Error(`unknown payment command ${JSON.stringify(unknown)}`);
    }
  }
}
