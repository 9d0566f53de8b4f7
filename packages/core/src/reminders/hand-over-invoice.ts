import { getInvoiceById, updateInvoice } from '@settle/db';
import type { ReminderDeps } from './message-ports';

/** After the collections hand-over task: the invoice leaves dunning (only if it is still open). */
export async function handOverInvoice(
  deps: Pick<ReminderDeps, 'db' | 'now'>,
  invoiceId: string,
): Promise<void> {
  const invoice = await getInvoiceById(deps.db, invoiceId);
  if (invoice?.status !== 'open') return;
  await updateInvoice(deps.db, invoice.organization_id, invoice.id, {
    status: 'in_collections',
    closed_at: deps.now(),
  });
}
