import { sql } from 'kysely';
import type { DbOrTx } from '../client';
import type { Invoice, NewCustomer } from '../schema';
import type { NewInvoiceWithLines } from './invoices';

/** Bulk queries for imports: one statement per batch of rows, always inside the import's transaction. */

/** Customer ids by code, for the given codes that exist in this organization. */
export async function findCustomerIdsByCode(
  db: DbOrTx,
  organizationId: string,
  codes: readonly string[],
): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'code'])
    .where('organization_id', '=', organizationId)
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

export type ExistingInvoice = Pick<
  Invoice,
  | 'id'
  | 'number'
  | 'external_id'
  | 'customer_id'
  | 'currency'
  | 'total_minor'
  | 'issue_date'
  | 'due_date'
  | 'status'
>;

/** This organization's invoices that carry one of the numbers or external ids. */
export async function findInvoicesByNumberOrExternalId(
  db: DbOrTx,
  organizationId: string,
  numbers: readonly string[],
  externalIds: readonly string[],
): Promise<ExistingInvoice[]> {
  if (numbers.length === 0 && externalIds.length === 0) return [];
  return db
    .selectFrom('invoices')
    .select([
      'id',
      'number',
      'external_id',
      'customer_id',
      'currency',
      'total_minor',
      'issue_date',
      'due_date',
      'status',
    ])
    .where('organization_id', '=', organizationId)
    .where((eb) =>
      eb.or([
        ...(numbers.length > 0 ? [eb('number', 'in', numbers)] : []),
        ...(externalIds.length > 0 ? [eb('external_id', 'in', externalIds)] : []),
      ]),
    )
    .execute();
}

/** Inserts invoices and their lines with two statements; returns the new rows' ids by number. */
export async function insertInvoicesWithLines(
  db: DbOrTx,
  invoices: readonly NewInvoiceWithLines[],
): Promise<{ id: string; number: string; status: Invoice['status'] }[]> {
  if (invoices.length === 0) return [];
  const rows = await db
    .insertInto('invoices')
    .values(invoices.map(({ lines: _lines, ...invoice }) => invoice))
    .returning(['id', 'number', 'status', 'organization_id'])
    .execute();
  const byNumber = new Map(rows.map((row) => [row.number, row]));
  const lines = invoices.flatMap((invoice) => {
    const row = byNumber.get(invoice.number);
    if (!row) throw new Error(`invoice ${invoice.number} was not returned by its insert`);
    return invoice.lines.map((line, position) => ({
      ...line,
      position,
      organization_id: row.organization_id,
      invoice_id: row.id,
    }));
  });
  // PostgreSQL takes at most 65535 parameters per statement; a line has 8.
  for (let start = 0; start < lines.length; start += 5_000) {
    await db
      .insertInto('invoice_lines')
      .values(lines.slice(start, start + 5_000))
      .execute();
  }
  return rows.map(({ id, number, status }) => ({ id, number, status }));
}

/** Customer columns an import may change on an existing customer. */
export type ImportableCustomerColumn = Exclude<
  keyof NewCustomer & string,
  'id' | 'organization_id' | 'code' | 'created_at' | 'updated_at'
>;

/**
 * Inserts customers or, for a code that exists in the organization, updates only `updateColumns`
 * (the fields the import supplied). Returns how many rows were created and how many updated.
 */
export async function upsertCustomersByCode(
  db: DbOrTx,
  customers: readonly NewCustomer[],
  updateColumns: readonly ImportableCustomerColumn[],
): Promise<{ created: number; updated: number }> {
  if (customers.length === 0) return { created: 0, updated: 0 };
  const rows = await db
    .insertInto('customers')
    .values([...customers])
    .onConflict((oc) =>
      oc.columns(['organization_id', 'code']).doUpdateSet((eb) => {
        const set: Record<string, unknown> = { updated_at: new Date() };
        for (const column of updateColumns) set[column] = eb.ref(`excluded.${column}`);
        return set;
      }),
    )
    // xmax is 0 on a freshly inserted row version and non-zero on one written by ON CONFLICT UPDATE.
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const created = rows.filter((row) => row.inserted).length;
  return { created, updated: rows.length - created };
}
