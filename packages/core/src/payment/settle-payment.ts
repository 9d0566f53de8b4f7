import { confirmPayment } from './confirm-payment';
import { type PaymentEventCommand, PaymentNotYetKnownError } from './payment-event-command';
import { type ApplyContext, lockPayment } from './payment-event-context';
import { onPaymentSettled } from './payment-state-machine';

/**
 * The provider paid the money out to the creditor: the payment is paid out (confirmed first if that event has
 * not arrived).
 */
export async function settlePayment(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'settled' }>,
): Promise<void> {
  const payment = await lockPayment(context, command.provider, command.providerPaymentId);
  if (!payment) throw new PaymentNotYetKnownError(`payment ${command.providerPaymentId}`);
  context.organizationId = payment.organization_id;
  const decision = onPaymentSettled(payment, command, context.now);
  if (decision.kind === 'keep') return;
  // Paid out before we saw it confirmed (out-of-order delivery): it was confirmed.
  if (decision.kind === 'confirm_then_pay_out') await confirmPayment(context, decision.confirmation);
  await context.tx
    .updateTable('payments')
    .set({ status: 'paid_out', updated_at: context.now })
    .where('id', '=', payment.id)
    .execute();
}
