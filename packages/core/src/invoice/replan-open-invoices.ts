import type { DbOrTx } from '@settle/db';
import { invoiceChangedSignal, signalInvoiceReminders } from '@settle/workflows';
import type { Client } from '@temporalio/client';

/**
 * Tells the running workflows of these customers' open invoices to re-plan from their policy now
 * (an invoice-changed signal): a policy edit or a new assignment applies from the next step. Ended
 * workflows are left alone (the signal does not restart them).
 */
export async function replanOpenInvoices(
  deps: { db: DbOrTx; temporal: Client },
  filter: { organizationId: string; customerIds?: string[] },
): Promise<number> {
  if (filter.customerIds && filter.customerIds.length === 0) return 0;
  let query = deps.db
    .selectFrom('invoices')
    .select('id')
    .where('organization_id', '=', filter.organizationId)
    .where('status', '=', 'open');
  if (filter.customerIds) query = query.where('customer_id', 'in', filter.customerIds);
  const invoices = await query.execute();
  // A few at a time: an organization can have thousands of open invoices.
  for (let i = 0; i < invoices.length; i += 20) {
    await Promise.all(
      invoices
        .slice(i, i + 20)
        .map((invoice) => signalInvoiceReminders(deps.temporal, invoice.id, invoiceChangedSignal, [])),
    );
  }
  return invoices.length;
}
