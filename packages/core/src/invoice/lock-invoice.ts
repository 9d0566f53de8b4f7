import { type DbOrTx, type Invoice, lockInvoiceWithCustomer } from '@settle/db';
import { AppError } from '../errors';

/**
 * Locks the invoice's customer, then the invoice: the order every transaction on an invoice takes
 * (docs/decisions/0008-row-lock-order.md), so a payment, promise or dispute written here never
 * deadlocks with a reminder send or a provider event for the same customer.
 */
export async function lockInvoice(tx: DbOrTx, organizationId: string, invoiceId: string): Promise<Invoice> {
  const locked = await lockInvoiceWithCustomer(tx, invoiceId, { organizationId });
  if (!locked)
    throw new AppError('NOT_FOUND', `invoice ${invoiceId} not found`, { userMessage: 'Invoice not found.' });
  return locked.invoice;
}

/** Locks an invoice that must still be open; a closed one is a conflict, named for people. */
export async function lockOpenInvoice(
  tx: DbOrTx,
  organizationId: string,
  invoiceId: string,
): Promise<Invoice> {
  const invoice = await lockInvoice(tx, organizationId, invoiceId);
  if (invoice.status !== 'open') {
    throw new AppError('CONFLICT', `invoice ${invoice.number} is ${invoice.status}`, {
      userMessage: `Invoice ${invoice.number} is no longer open.`,
    });
  }
  return invoice;
}
