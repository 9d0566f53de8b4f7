import { allocatePayment, closeActivePromiseToPay, type DbOrTx, type Invoice } from '@settle/db';

/**
 * Applies up to `amountMinor` of a payment to one invoice inside the caller's transaction: the
 * allocation, the balance, `paid` when nothing is left (a promise to pay is then kept). An invoice that
 * is not open takes nothing. Shared by offline payments and provider events, so the rule lives once.
 */
export async function applyPaymentToInvoice(
  tx: DbOrTx,
  input: {
    invoice: Invoice;
    paymentId: string;
    amountMinor: number;
    now: Date;
    /** The order of this invoice among those the payment pays (0 = first): reversals start at the last. */
    position?: number;
  },
): Promise<{ appliedMinor: number; fullyPaid: boolean; invoice: Invoice }> {
  const { invoice, now } = input;
  const balance = invoice.total_minor - invoice.paid_minor;
  const appliedMinor = invoice.status === 'open' ? Math.max(0, Math.min(balance, input.amountMinor)) : 0;
  if (appliedMinor === 0) return { appliedMinor, fullyPaid: false, invoice };
  await allocatePayment(tx, {
    organizationId: invoice.organization_id,
    paymentId: input.paymentId,
    invoiceId: invoice.id,
    amountMinor: appliedMinor,
    position: input.position ?? 0,
  });
  const fullyPaid = appliedMinor === balance;
  const updated = await tx
    .updateTable('invoices')
    .set({
      paid_minor: invoice.paid_minor + appliedMinor,
      payment_pending: false,
      updated_at: now,
      ...(fullyPaid ? { status: 'paid' as const, paid_at: now, closed_at: now } : {}),
    })
    .where('id', '=', invoice.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (fullyPaid) await closeActivePromiseToPay(tx, invoice.id, 'kept', now);
  return { appliedMinor, fullyPaid, invoice: updated };
}

/** Adds (or, negative, takes back) customer credit: the part of a payment beyond what it paid. */
export async function changeCustomerCredit(
  tx: DbOrTx,
  customerId: string,
  deltaMinor: number,
): Promise<void> {
  if (deltaMinor === 0) return;
  await tx
    .updateTable('customers')
    .set((eb) => ({ credit_balance_minor: eb('credit_balance_minor', '+', deltaMinor) }))
    .where('id', '=', customerId)
    .execute();
}

/**
 * The part of a payment beyond what it paid: kept on the payment (a refund takes it back first) and as
 * customer credit.
 */
export async function keepAsCustomerCredit(
  tx: DbOrTx,
  payment: { id: string; customer_id: string },
  amountMinor: number,
): Promise<void> {
  if (amountMinor <= 0) return;
  await tx.updateTable('payments').set({ credit_minor: amountMinor }).where('id', '=', payment.id).execute();
  await changeCustomerCredit(tx, payment.customer_id, amountMinor);
}

export interface PaymentReversalPlan {
  /** Customer credit to take back now. */
  fromCreditMinor: number;
  /** Per invoice, what to take back now (only parts that grow, from the invoice paid last). */
  fromInvoices: { invoiceId: string; amountMinor: number }[];
}

/**
 * What a refund or charge-back takes back now, from the payment's stored allocation: the cumulative
 * total reversed so far (Stripe's `amount_refunded`) is laid over the allocation — customer credit
 * first (it was never applied to an invoice), then the invoices from the one paid last — and only the
 * part of each bucket not yet taken back is taken. The same or a lower total takes nothing, so a
 * redelivered or out-of-order event changes nothing.
 */
export function planPaymentReversal(input: {
  totalReversedMinor: number;
  credit: { allocatedMinor: number; reversedMinor: number };
  allocations: { invoice_id: string; amount_minor: number; reversed_minor: number; position: number }[];
}): PaymentReversalPlan {
  let left = Math.max(0, input.totalReversedMinor);
  const creditShare = Math.min(left, input.credit.allocatedMinor);
  left -= creditShare;
  const fromInvoices: PaymentReversalPlan['fromInvoices'] = [];
  const lastPaidFirst = [...input.allocations].sort(
    (a, b) => b.position - a.position || b.invoice_id.localeCompare(a.invoice_id),
  );
  for (const allocation of lastPaidFirst) {
    const share = Math.min(left, allocation.amount_minor);
    left -= share;
    const take = share - allocation.reversed_minor;
    if (take > 0) fromInvoices.push({ invoiceId: allocation.invoice_id, amountMinor: take });
  }
  return { fromCreditMinor: Math.max(0, creditShare - input.credit.reversedMinor), fromInvoices };
}
