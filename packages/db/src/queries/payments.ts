import type { Insertable, Selectable } from 'kysely';
import type { DbOrTx } from '../client';
import type {
  NewPayment,
  Payment,
  PaymentAllocationsTable,
  PaymentAttemptsTable,
  PaymentProvider,
} from '../schema';

/**
 * Inserts a payment unless one with the same provider payment id exists. Returns the row and whether
 * this call created it, so a duplicate delivery can change nothing else.
 */
export async function insertPaymentOnce(
  db: DbOrTx,
  values: NewPayment,
): Promise<{ payment: Payment; isNew: boolean }> {
  const inserted = await db
    .insertInto('payments')
    .values(values)
    .onConflict((oc) => oc.columns(['provider', 'provider_payment_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { payment: inserted, isNew: true };
  const existing = await findPaymentByProviderId(db, values.provider, values.provider_payment_id);
  if (!existing) throw new Error('payment vanished between insert and select');
  return { payment: existing, isNew: false };
}

export async function findPaymentByProviderId(
  db: DbOrTx,
  provider: PaymentProvider,
  providerPaymentId: string,
): Promise<Payment | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_payment_id', '=', providerPaymentId)
    .executeTakeFirst();
}

/** Records what a payment paid on one invoice; `position` is the order it paid its invoices in (0 = first). */
export async function allocatePayment(
  db: DbOrTx,
  allocation: {
    organizationId: string;
    paymentId: string;
    invoiceId: string;
    amountMinor: number;
    position?: number;
  },
): Promise<void> {
  await db
    .insertInto('payment_allocations')
    .values({
      organization_id: allocation.organizationId,
      payment_id: allocation.paymentId,
      invoice_id: allocation.invoiceId,
      amount_minor: allocation.amountMinor,
      position: allocation.position ?? 0,
    })
    .execute();
}

/** A payment's allocations to invoices, in the order it paid them. */
export async function listPaymentAllocations(
  db: DbOrTx,
  paymentId: string,
): Promise<Selectable<PaymentAllocationsTable>[]> {
  return db
    .selectFrom('payment_allocations')
    .selectAll()
    .where('payment_id', '=', paymentId)
    .orderBy('position')
    .orderBy('invoice_id')
    .execute();
}

/** Counts `amountMinor` more of one allocation as taken back by a refund or charge-back. */
export async function reversePaymentAllocation(
  db: DbOrTx,
  allocation: { paymentId: string; invoiceId: string; amountMinor: number },
): Promise<void> {
  await db
    .updateTable('payment_allocations')
    .set((eb) => ({ reversed_minor: eb('reversed_minor', '+', allocation.amountMinor) }))
    .where('payment_id', '=', allocation.paymentId)
    .where('invoice_id', '=', allocation.invoiceId)
    .execute();
}

/** The invoices a payment was applied to. */
export async function listPaymentInvoiceIds(db: DbOrTx, paymentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('payment_allocations')
    .select('invoice_id')
    .where('payment_id', '=', paymentId)
    .execute();
  return rows.map((row) => row.invoice_id);
}

export async function listInvoicePayments(
  db: DbOrTx,
  organizationId: string,
  invoiceId: string,
): Promise<(Payment & { allocated_minor: number })[]> {
  return db
    .selectFrom('payments')
    .innerJoin('payment_allocations as a', 'a.payment_id', 'payments.id')
    .selectAll('payments')
    .select('a.amount_minor as allocated_minor')
    .where('payments.organization_id', '=', organizationId)
    .where('a.invoice_id', '=', invoiceId)
    .orderBy('payments.received_at')
    .execute();
}

export async function insertPaymentAttempt(
  db: DbOrTx,
  values: Insertable<PaymentAttemptsTable>,
): Promise<Selectable<PaymentAttemptsTable>> {
  return db.insertInto('payment_attempts').values(values).returningAll().executeTakeFirstOrThrow();
}
