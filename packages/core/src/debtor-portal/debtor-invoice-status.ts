import type { Invoice } from '@settle/db';
import { daysOverdue } from '@settle/domain';

/** How a debtor sees an invoice's state; one label per invoice, the most telling one. */
export type DebtorInvoiceStatus =
  | 'open'
  | 'overdue'
  | 'payment_pending'
  | 'disputed'
  | 'promised'
  | 'paid'
  | 'void'
  | 'written_off'
  | 'in_collections';

/**
 * The portal takes payments for open invoices with no payment already on its way; invoices handed to
 * collections are paid through the agency.
 */
export function isPayableInPortal(invoice: Pick<Invoice, 'status' | 'payment_pending'>): boolean {
  return invoice.status === 'open' && !invoice.payment_pending;
}

/** The one status label the portal shows for an invoice. */
export function debtorInvoiceStatus(
  invoice: Invoice,
  context: { today: string; disputed: boolean; promisedDate: string | null },
): DebtorInvoiceStatus {
  if (invoice.status !== 'open') return invoice.status;
  if (context.disputed) return 'disputed';
  if (invoice.payment_pending) return 'payment_pending';
  if (context.promisedDate) return 'promised';
  return daysOverdue(invoice.due_date, context.today) > 0 ? 'overdue' : 'open';
}
