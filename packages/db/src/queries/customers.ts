import type { DbOrTx } from '../client';
import type { Customer, CustomerUpdate, NewCustomer } from '../schema';

export async function insertCustomer(db: DbOrTx, values: NewCustomer): Promise<Customer> {
  return db.insertInto('customers').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function getCustomer(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<Customer | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findCustomerByCode(
  db: DbOrTx,
  organizationId: string,
  code: string,
): Promise<Customer | undefined> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function listCustomers(db: DbOrTx, organizationId: string): Promise<Customer[]> {
  return db
    .selectFrom('customers')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('code')
    .execute();
}

export async function updateCustomer(
  db: DbOrTx,
  organizationId: string,
  id: string,
  changes: CustomerUpdate,
): Promise<Customer | undefined> {
  return db
    .updateTable('customers')
    .set({ ...changes, updated_at: new Date() })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks customers for the rest of the transaction, in id order: the first row lock of every
 * transaction that changes a customer's collection state (its invoices, payments, promises, disputes,
 * messages, credit). FOR NO KEY UPDATE serializes those transactions per customer but does not block
 * the `FOR KEY SHARE` that a foreign key to the customer takes (docs/decisions/0008-row-lock-order.md).
 */
export async function lockCustomers(db: DbOrTx, customerIds: readonly string[]): Promise<Customer[]> {
  const ids = [...new Set(customerIds)].sort();
  if (ids.length === 0) return [];
  return db
    .selectFrom('customers')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
}
