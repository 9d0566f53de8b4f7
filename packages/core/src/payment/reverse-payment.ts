import { appendAuditLog, listPaymentAllocations, reversePaymentAllocation } from '@settle/db';
import { changeCustomerCredit, planPaymentReversal } from './payment-allocation';
import { type PaymentEventCommand, PaymentNotYetKnownError } from './payment-event-command';
import { type ApplyContext, lockInvoices, lockPayment, SYSTEM } from './payment-event-context';
import { onPaymentReversed, reversalEffectOn } from './payment-state-machine';

/**
 * Money taken back (refund, card dispute, direct-debit charge-back): what the cumulative total reversed adds
 * is taken from customer credit first, then from the invoices paid last, which reopen and restart dunning.
 */
export async function reversePayment(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'reversed' }>,
): Promise<void> {
  const { tx, now } = context;
  const payment = await lockPayment(context, command.provider, command.providerPaymentId);
  if (!payment) throw new PaymentNotYetKnownError(`payment ${command.providerPaymentId}`);
  context.organizationId = payment.organization_id;
  const decision = onPaymentReversed(payment, command);
  if (decision.kind === 'wait') {
    // Reversed before we saw it confirmed: wait for the confirmation, then take it back.
    throw new PaymentNotYetKnownError(`confirmation of payment ${command.providerPaymentId}`);
  }
  if (decision.kind === 'keep') return;
  const { targetMinor: target, status: nextStatus } = decision;

  const plan = planPaymentReversal({
    totalReversedMinor: target,
    credit: { allocatedMinor: payment.credit_minor, reversedMinor: payment.credit_reversed_minor },
    allocations: await listPaymentAllocations(tx, payment.id),
  });
  if (plan.fromCreditMinor > 0) await changeCustomerCredit(tx, payment.customer_id, -plan.fromCreditMinor);
  const invoices = await lockInvoices(
    tx,
    payment.organization_id,
    plan.fromInvoices.map((part) => part.invoiceId),
  );
  for (const part of plan.fromInvoices) {
    const invoice = invoices.find((candidate) => candidate.id === part.invoiceId);
    if (!invoice) continue;
    const take = part.amountMinor;
    await reversePaymentAllocation(tx, { paymentId: payment.id, invoiceId: invoice.id, amountMinor: take });
    const { reopens: reopen, restartsDunning } = reversalEffectOn(invoice);
    await tx
      .updateTable('invoices')
      .set({
        paid_minor: Math.max(0, invoice.paid_minor - take),
        updated_at: now,
        ...(reopen ? { status: 'open' as const, paid_at: null, closed_at: null } : {}),
      })
      .where('id', '=', invoice.id)
      .execute();
    await appendAuditLog(tx, {
      organizationId: invoice.organization_id,
      actor: SYSTEM,
      action: 'payment.reversed',
      subject: { type: 'invoice', id: invoice.id },
      data: { paymentId: payment.id, status: command.status, amountMinor: take, reopened: reopen },
    });
    if (restartsDunning) {
      context.signals.push({
        invoiceId: invoice.id,
        signal: 'paymentFailed',
        reason: command.reason,
        startIfEnded: true,
      });
    }
  }
  await tx
    .updateTable('payments')
    .set({
      status: nextStatus,
      reversed_minor: Math.max(target, payment.reversed_minor),
      credit_reversed_minor: payment.credit_reversed_minor + plan.fromCreditMinor,
      updated_at: now,
    })
    .where('id', '=', payment.id)
    .execute();
}
