import { type Selectable, sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { Dispute, Invoice, Payment, PaymentAttemptsTable, PortalLink, PromiseToPay } from '../schema';

/** Queries behind the debtor portal. Every one is scoped to one organization and one customer. */

export async function getPortalLink(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<PortalLink | undefined> {
  return db
    .selectFrom('portal_links')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A customer's recent payments (newest first) with the invoice numbers they paid. */
export async function listCustomerPayments(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
  limit: number,
): Promise<(Payment & { invoice_numbers: string[] })[]> {
  const rows = await db
    .selectFrom('payments')
    .selectAll('payments')
    .select((eb) =>
      eb
        .selectFrom('payment_allocations as a')
        .innerJoin('invoices as i', 'i.id', 'a.invoice_id')
        .whereRef('a.payment_id', '=', 'payments.id')
        .select(sql<string[]>`coalesce(array_agg(i.number ORDER BY i.number), '{}')`.as('numbers'))
        .as('invoice_numbers'),
    )
    .where('payments.organization_id', '=', organizationId)
    .where('payments.customer_id', '=', customerId)
    .orderBy('payments.received_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, invoice_numbers: row.invoice_numbers ?? [] }));
}

/** A customer's disputes (newest first) with the disputed invoice's number. */
export async function listDebtorDisputes(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
): Promise<(Dispute & { invoice_number: string })[]> {
  return db
    .selectFrom('disputes')
    .innerJoin('invoices as i', 'i.id', 'disputes.invoice_id')
    .selectAll('disputes')
    .select('i.number as invoice_number')
    .where('disputes.organization_id', '=', organizationId)
    .where('disputes.customer_id', '=', customerId)
    .orderBy('disputes.opened_at', 'desc')
    .execute();
}

/** Active promises to pay of a customer's invoices, by invoice id. */
export async function listActivePromises(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
): Promise<PromiseToPay[]> {
  return db
    .selectFrom('promises_to_pay')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .execute();
}

export async function getCustomerPaymentAttempt(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
  id: string,
): Promise<Selectable<PaymentAttemptsTable> | undefined> {
  return db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** What a debtor did recently, for per-customer rate limits: each counts the rows it created. */
export type DebtorActionKind = 'dispute' | 'promise' | 'payment_start' | 'link_request';

export async function countRecentDebtorActions(
  db: DbOrTx,
  options: { organizationId: string; customerId: string; kind: DebtorActionKind; since: Date },
): Promise<number> {
  const { organizationId, customerId, since } = options;
  const count = (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) =>
    query.executeTakeFirstOrThrow().then((row) => Number(row.n));
  switch (options.kind) {
    case 'dispute':
      return count(
        db
          .selectFrom('disputes')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('organization_id', '=', organizationId)
          .where('customer_id', '=', customerId)
          .where('opened_at', '>=', since),
      );
    case 'promise':
      return count(
        db
          .selectFrom('promises_to_pay')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('organization_id', '=', organizationId)
          .where('customer_id', '=', customerId)
          .where('created_at', '>=', since),
      );
    case 'payment_start':
      return count(
        db
          .selectFrom('payment_attempts')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('organization_id', '=', organizationId)
          .where('customer_id', '=', customerId)
          .where('created_at', '>=', since),
      );
    case 'link_request':
      return count(
        db
          .selectFrom('communications')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('organization_id', '=', organizationId)
          .where('customer_id', '=', customerId)
          .where('step_key', '=', 'portal-link')
          .where('created_at', '>=', since),
      );
  }
}

export async function listInvoiceDisputes(
  db: DbOrTx,
  organizationId: string,
  invoiceId: string,
): Promise<Dispute[]> {
  return db
    .selectFrom('disputes')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('opened_at', 'desc')
    .execute();
}

export async function findActivePromise(
  db: DbOrTx,
  organizationId: string,
  invoiceId: string,
): Promise<PromiseToPay | undefined> {
  return db
    .selectFrom('promises_to_pay')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** The customer's invoices among `ids` (ids of other customers are simply not returned). */
export async function listCustomerInvoicesByIds(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
  ids: string[],
): Promise<Invoice[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .where('id', 'in', ids)
    .orderBy('due_date')
    .execute();
}

/** Records when a link was last opened (shown to finance); it never changes whether the link works. */
export async function touchPortalLink(
  db: DbOrTx,
  organizationId: string,
  id: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('portal_links')
    .set({ last_used_at: at })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .execute();
}
