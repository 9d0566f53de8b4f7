import type { Db } from '@settle/db';
import type { InvoiceSnapshot } from '@settle/workflows';
import { loadReminderContext } from './reminder-context';

/** What the reminder workflow plans from: the invoice, its customer's calendar, policy and holds. */
export async function loadInvoiceSnapshot(db: Db, invoiceId: string): Promise<InvoiceSnapshot | null> {
  const context = await loadReminderContext(db, invoiceId, { lock: false });
  if (!context) return null;
  const { invoice, customer } = context;
  return {
    invoiceId: invoice.id,
    organizationId: invoice.organization_id,
    customerId: invoice.customer_id,
    status: invoice.status,
    balanceMinor: invoice.total_minor - invoice.paid_minor,
    currency: invoice.currency,
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    timeZone: customer.time_zone,
    country: customer.country,
    policy: context.policy,
    holds: context.holds,
    promisedDate: context.promisedDate,
  };
}
