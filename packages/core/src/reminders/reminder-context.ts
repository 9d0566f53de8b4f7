import {
  type Customer,
  type DbOrTx,
  getCustomer,
  getInvoiceById,
  getInvoiceHolds,
  getOrganization,
  type Invoice,
  type InvoiceHold,
  insertTaskOnce,
  lockCustomerAndInvoice,
  type Organization,
  resolveReminderPolicy,
} from '@settle/db';
import { DEFAULT_POLICY, type ReminderPolicy } from '@settle/domain';
import { toReminderPolicy } from '../policy/reminder-policy-rows';

/** An invoice with everything a send decision reads. */
export interface ReminderContext {
  invoice: Invoice;
  customer: Customer;
  organization: Organization;
  policy: ReminderPolicy;
  holds: InvoiceHold[];
  promisedDate: string | null;
}

/**
 * The customer's policy (its own, else its segment's, else the organization's default). An
 * organization without any policy still gets reminders by the built-in default, and finance a task
 * saying so: bad data never stops a sequence for good.
 */
export async function reminderPolicyFor(db: DbOrTx, customer: Customer): Promise<ReminderPolicy> {
  const stored = await resolveReminderPolicy(db, customer);
  if (stored) return toReminderPolicy(stored);
  await insertTaskOnce(db, {
    organization_id: customer.organization_id,
    kind: 'failed_message',
    idempotency_key: `no-reminder-policy/${customer.id}`,
    customer_id: customer.id,
    title: `No reminder policy applies to ${customer.name}: the built-in default is used`,
    details: { reason: 'no policy for the customer, its segment, nor an organization default' },
  });
  return DEFAULT_POLICY;
}

/**
 * Loads an invoice with its customer, organization, policy and holds. With `lock` (inside a
 * transaction) the customer and invoice rows are locked first, so the decision that follows sees any
 * payment committed before it and no concurrent send for the same customer.
 */
export async function loadReminderContext(
  db: DbOrTx,
  invoiceId: string,
  options: { lock: boolean /** Another organization's invoice is not found. */; organizationId?: string },
): Promise<ReminderContext | null> {
  let invoice: Invoice | undefined;
  let customer: Customer | undefined;
  if (options.lock) {
    const locked = await lockCustomerAndInvoice(db, invoiceId);
    invoice = locked?.invoice;
    customer = locked?.customer;
  } else {
    invoice = await getInvoiceById(db, invoiceId);
    customer = invoice ? await getCustomer(db, invoice.organization_id, invoice.customer_id) : undefined;
  }
  if (!invoice || !customer) return null;
  if (options.organizationId !== undefined && invoice.organization_id !== options.organizationId) return null;
  const organization = await getOrganization(db, invoice.organization_id);
  if (!organization) return null;
  const [policy, { holds, promisedDate }] = await Promise.all([
    reminderPolicyFor(db, customer),
    getInvoiceHolds(db, invoice),
  ]);
  return { invoice, customer, organization, policy, holds, promisedDate };
}

/** Why nothing may go out for the invoice now (closed or held), or null when something may. */
export function closedOrHeldReason(context: ReminderContext | null): string | null {
  if (!context) return 'invoice not found';
  if (context.invoice.status !== 'open') return `invoice ${context.invoice.status}`;
  return context.holds.length > 0 ? `invoice on hold: ${context.holds.join(', ')}` : null;
}
