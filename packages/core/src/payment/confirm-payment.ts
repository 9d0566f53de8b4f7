import { appendAuditLog, insertTaskOnce } from '@settle/db';
import { applyPaymentToInvoice, keepAsCustomerCredit } from './payment-allocation';
import type { PaymentEventCommand } from './payment-event-command';
import {
  type ApplyContext,
  clearPending,
  ensurePayment,
  lockInvoices,
  SYSTEM,
  setAttemptStatus,
} from './payment-event-context';
import { onPaymentSucceeded, paymentReviewOf } from './payment-state-machine';

/**
 * Money arrived (card paid, direct debit confirmed): the payment is confirmed and paid to its invoices,
 * oldest due first, the rest kept as customer credit; a payment that matches no invoice, or is in another
 * currency, becomes a task for finance.
 */
export async function confirmPayment(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'succeeded' }>,
): Promise<void> {
  const { tx, now } = context;
  const { payment, attempt } = await ensurePayment(context, command);
  context.organizationId = payment.organization_id;
  if (onPaymentSucceeded(payment) === 'keep') return;
  await tx
    .updateTable('payments')
    .set({ status: 'confirmed', received_at: command.at, updated_at: now })
    .where('id', '=', payment.id)
    .execute();
  if (attempt) await setAttemptStatus(tx, attempt.id, 'completed', now);

  const invoices = await lockInvoices(tx, payment.organization_id, attempt?.invoice_ids ?? []);
  const review = paymentReviewOf(payment, invoices);
  if (review) {
    await insertTaskOnce(tx, {
      organization_id: payment.organization_id,
      kind: 'payment_review',
      idempotency_key: `payment-review/${payment.id}`,
      customer_id: payment.customer_id,
      invoice_id: invoices[0]?.id ?? null,
      title: review.title,
      details: JSON.stringify({
        paymentId: payment.id,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
        invoiceIds: invoices.map((i) => i.id),
      }),
    });
    await clearPending(context, invoices);
    await appendAuditLog(tx, {
      organizationId: payment.organization_id,
      actor: SYSTEM,
      action: 'payment.needs_review',
      subject: { type: 'payment', id: payment.id },
      data: { reason: review.reason },
    });
    return;
  }

  let remaining = payment.amount_minor;
  let position = 0;
  for (const invoice of invoices) {
    const { appliedMinor: applied, fullyPaid } = await applyPaymentToInvoice(tx, {
      invoice,
      paymentId: payment.id,
      amountMinor: remaining,
      now,
      position,
    });
    if (applied === 0) continue;
    remaining -= applied;
    position += 1;
    await appendAuditLog(tx, {
      organizationId: invoice.organization_id,
      actor: SYSTEM,
      action: 'payment.recorded',
      subject: { type: 'invoice', id: invoice.id },
      data: { paymentId: payment.id, provider: payment.provider, applied, fullyPaid },
    });
    context.signals.push({
      invoiceId: invoice.id,
      signal: 'paymentRecorded',
      amountMinor: applied,
      fullyPaid,
    });
  }
  // An invoice that received nothing (paid another way meanwhile) still leaves "payment pending".
  await clearPending(
    context,
    invoices.filter((invoice) => !context.signals.some((s) => s.invoiceId === invoice.id)),
  );
  await keepAsCustomerCredit(tx, payment, remaining);
}
