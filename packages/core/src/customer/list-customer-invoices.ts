import { type Db, listCustomerInvoiceHistory } from '@settle/db';

/** A customer's invoices, open and closed, as finance reviews them. */
export function listCustomerInvoices(
  deps: { db: Db },
  input: { organizationId: string; customerId: string },
): ReturnType<typeof listCustomerInvoiceHistory> {
  return listCustomerInvoiceHistory(deps.db, input.organizationId, input.customerId);
}
