import type { DbOrTx } from '../client';
import type { Customer, Invoice, InvoiceLine, InvoiceUpdate, NewInvoice, NewInvoiceLine } from '../schema';
import { lockCustomers } from './customers';

export type NewInvoiceWithLines = NewInvoice & {
  lines: Omit<NewInvoiceLine, 'organization_id' | 'invoice_id' | 'position'>[];
};

/** Inserts an invoice and its lines; call inside a transaction so both land or neither does. */
export async function insertInvoice(
  db: DbOrTx,
  { lines, ...invoice }: NewInvoiceWithLines,
): Promise<Invoice> {
  const row = await db.insertInto('invoices').values(invoice).returningAll().executeTakeFirstOrThrow();
  if (lines.length > 0) {
    await db
      .insertInto('invoice_lines')
      .values(
        lines.map((line, position) => ({
          ...line,
          position,
          organization_id: row.organization_id,
          invoice_id: row.id,
        })),
      )
      .execute();
  }
  return row;
}

export async function getInvoice(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<Invoice | undefined> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** For workflow activities, which know only the invoice id; the row carries its tenant. */
export async function getInvoiceById(db: DbOrTx, id: string): Promise<Invoice | undefined> {
  return db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listInvoiceLines(
  db: DbOrTx,
  organizationId: string,
  invoiceId: string,
): Promise<InvoiceLine[]> {
  return db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
}

export async function listCustomerInvoices(
  db: DbOrTx,
  organizationId: string,
  customerId: string,
): Promise<Invoice[]> {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('customer_id', '=', customerId)
    .orderBy('due_date')
    .orderBy('number')
    .execute();
}

export async function listOpenInvoiceIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectFrom('invoices').select('id').where('status', '=', 'open').execute();
  return rows.map((r) => r.id);
}

export async function updateInvoice(
  db: DbOrTx,
  organizationId: string,
  id: string,
  changes: InvoiceUpdate,
): Promise<Invoice | undefined> {
  return db
    .updateTable('invoices')
    .set({ ...changes, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks invoices for the rest of the transaction, in id order, after their customer's lock (the
 * caller's: see `lockCustomers`). Callers sort the rows for their own purpose (oldest due first).
 */
export async function lockInvoices(
  db: DbOrTx,
  organizationId: string,
  invoiceIds: readonly string[],
): Promise<Invoice[]> {
  const ids = [...new Set(invoiceIds)].sort();
  if (ids.length === 0) return [];
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}

/**
 * Locks an invoice's customer, then the invoice: the one order every transaction on an invoice takes
 * (docs/decisions/0008-row-lock-order.md). Null when the invoice (of the organization, if given) does
 * not exist.
 */
export async function lockInvoiceWithCustomer(
  db: DbOrTx,
  invoiceId: string,
  options: { organizationId?: string } = {},
): Promise<{ customer: Customer; invoice: Invoice } | null> {
  let owner = db
    .selectFrom('invoices')
    .select(['organization_id', 'customer_id'])
    .where('id', '=', invoiceId);
  if (options.organizationId) owner = owner.where('organization_id', '=', options.organizationId);
  const found = await owner.executeTakeFirst();
  if (!found) return null;
  // An invoice never changes customer, so the customer read before the lock is the one to lock.
  const [customer] = await lockCustomers(db, [found.customer_id]);
  const [invoice] = await lockInvoices(db, found.organization_id, [invoiceId]);
  return customer && invoice ? { customer, invoice } : null;
}
