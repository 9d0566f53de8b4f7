import { type Db, getCustomerPaymentAttempt, listCustomerInvoicesByIds } from '@settle/db';
import { isUuid } from '@settle/domain';
import { AppError } from '../errors';

export interface DebtorPaymentAttempt {
  id: string;
  status: 'open' | 'completed' | 'expired' | 'failed';
  amountMinor: number;
  currency: string;
  provider: string;
  reference: string;
  createdAt: Date;
  updatedAt: Date;
  invoices: {
    id: string;
    number: string;
    status: 'paid' | 'payment_pending' | 'open' | 'closed';
    balanceMinor: number;
  }[];
  /** Settled: nothing will change on its own any more, so the page stops refreshing. */
  isSettled: boolean;
}

/** A payment attempt of this customer, with the state of the invoices it pays; another's is NOT_FOUND. */
export async function getDebtorPaymentAttempt(
  db: Db,
  options: { organizationId: string; customerId: string; attemptId: string },
): Promise<DebtorPaymentAttempt> {
  const attempt = isUuid(options.attemptId)
    ? await getCustomerPaymentAttempt(db, options.organizationId, options.customerId, options.attemptId)
    : undefined;
  if (!attempt) throw new AppError('NOT_FOUND', `payment attempt ${options.attemptId} not found`);
  const invoices = await listCustomerInvoicesByIds(
    db,
    options.organizationId,
    options.customerId,
    attempt.invoice_ids,
  );
  const states = invoices.map((i) => ({
    id: i.id,
    number: i.number,
    status:
      i.status === 'paid'
        ? ('paid' as const)
        : i.status !== 'open'
          ? ('closed' as const)
          : i.payment_pending
            ? ('payment_pending' as const)
            : ('open' as const),
    balanceMinor: i.total_minor - i.paid_minor,
  }));
  const isSettled =
    attempt.status === 'expired' ||
    attempt.status === 'failed' ||
    (attempt.status === 'completed' && states.every((s) => s.status !== 'open'));
  return {
    id: attempt.id,
    status: attempt.status,
    amountMinor: attempt.amount_minor,
    currency: attempt.currency,
    provider: attempt.provider,
    reference: attempt.provider_reference ?? attempt.id,
    createdAt: attempt.created_at,
    updatedAt: attempt.updated_at,
    invoices: states,
    isSettled,
  };
}
