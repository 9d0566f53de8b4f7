import type { DbOrTx } from '@settle/db';
import { getDebtorInvoice } from './get-debtor-invoice';
import { renderInvoicePdf } from './render-invoice-pdf';

/** The PDF of one of the debtor's own invoices, drawn on request (another customer's is NOT_FOUND). */
export async function getDebtorInvoicePdf(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; invoiceId: string; locale: string; now: Date },
): Promise<{ filename: string; content: Buffer }> {
  const data = await getDebtorInvoice(db, options);
  const content = await renderInvoicePdf(data, options.locale);
  return { filename: `invoice-${data.invoice.number.replace(/[^\w.-]+/g, '_')}.pdf`, content };
}
