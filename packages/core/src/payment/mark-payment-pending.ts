import type { PaymentEventCommand } from './payment-event-command';
import { type ApplyContext, ensurePayment, lockInvoices } from './payment-event-context';
import { onPaymentPending, takesPendingMark } from './payment-state-machine';

/**
 * Collection started but not confirmed (a direct debit submitted): the attempt's open invoices are marked
 * payment pending, and dunning pauses; a new mandate is noted on the customer.
 */
export async function markPaymentPending(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'pending' }>,
): Promise<void> {
  const { tx, now } = context;
  const { payment, attempt } = await ensurePayment(context, command);
  context.organizationId = payment.organization_id;
  if (command.mandate?.mandateId) {
    await tx
      .updateTable('customers')
      .set({
        gocardless_mandate_id: command.mandate.mandateId,
        gocardless_customer_id: command.mandate.customerReference,
        gocardless_mandate_status: 'pending_submission',
        updated_at: now,
      })
      .where('id', '=', payment.customer_id)
      .execute();
  }
  // A payment without an attempt names no invoices.
  if (onPaymentPending(payment) === 'keep' || !attempt) return;
  const invoices = await lockInvoices(tx, payment.organization_id, attempt.invoice_ids);
  for (const invoice of invoices) {
    if (!takesPendingMark(invoice)) continue;
    await tx
      .updateTable('invoices')
      .set({ payment_pending: true, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
    context.signals.push({ invoiceId: invoice.id, signal: 'paymentPending' });
  }
}
