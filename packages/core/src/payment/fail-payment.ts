import { appendAuditLog } from '@settle/db';
import { type PaymentEventCommand, PaymentNotYetKnownError } from './payment-event-command';
import {
  type ApplyContext,
  attemptForPayment,
  lockInvoices,
  lockPayment,
  SYSTEM,
  setAttemptStatus,
} from './payment-event-context';
import { onPaymentFailed } from './payment-state-machine';
import { reversePayment } from './reverse-payment';

/**
 * A pending payment did not go through: its invoices are no longer payment pending, and dunning resumes. A
 * failure after confirmation takes the money back like a charge-back.
 */
export async function failPayment(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'failed' }>,
): Promise<void> {
  const { tx, now } = context;
  const payment = await lockPayment(context, command.provider, command.providerPaymentId);
  if (!payment) throw new PaymentNotYetKnownError(`payment ${command.providerPaymentId}`);
  context.organizationId = payment.organization_id;
  const decision = onPaymentFailed(payment, command);
  if (decision.kind === 'reverse') return reversePayment(context, decision.reversal);
  if (decision.kind === 'keep') return;
  await tx
    .updateTable('payments')
    .set({ status: decision.status, updated_at: now })
    .where('id', '=', payment.id)
    .execute();
  const attempt = await attemptForPayment(tx, payment);
  if (!attempt) return;
  await setAttemptStatus(tx, attempt.id, 'failed', now);
  const invoices = await lockInvoices(tx, payment.organization_id, attempt.invoice_ids);
  for (const invoice of invoices) {
    if (!invoice.payment_pending) continue;
    await tx
      .updateTable('invoices')
      .set({ payment_pending: false, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
    context.signals.push({ invoiceId: invoice.id, signal: 'paymentFailed', reason: command.reason });
  }
  await appendAuditLog(tx, {
    organizationId: payment.organization_id,
    actor: SYSTEM,
    action: 'payment.failed',
    subject: { type: 'payment', id: payment.id },
    data: { status: command.status, reason: command.reason },
  });
}
