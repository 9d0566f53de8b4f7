import type { DbOrTx } from '../client';
import type { Dispute, DisputeReason, PromiseToPay } from '../schema';

export async function openDispute(
  db: DbOrTx,
  values: {
    organizationId: string;
    invoiceId: string;
    customerId: string;
    reason: DisputeReason;
    message: string;
  },
): Promise<Dispute> {
  return db
    .insertInto('disputes')
    .values({
      organization_id: values.organizationId,
      invoice_id: values.invoiceId,
      customer_id: values.customerId,
      reason: values.reason,
      message: values.message,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findOpenDispute(db: DbOrTx, organizationId: string, invoiceId: string) {
  return db
    .selectFrom('disputes')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

export async function resolveDispute(
  db: DbOrTx,
  values: {
    organizationId: string;
    disputeId: string;
    outcome: 'upheld' | 'rejected';
    note: string;
    resolvedBy: string | null;
    at: Date;
  },
): Promise<Dispute | undefined> {
  return db
    .updateTable('disputes')
    .set({
      status: values.outcome,
      resolution_note: values.note,
      resolved_by: values.resolvedBy,
      resolved_at: values.at,
    })
    .where('organization_id', '=', values.organizationId)
    .where('id', '=', values.disputeId)
    .where('status', '=', 'open')
    .returningAll()
    .executeTakeFirst();
}

export async function insertPromiseToPay(
  db: DbOrTx,
  values: {
    organizationId: string;
    invoiceId: string;
    customerId: string;
    promisedDate: string;
    note?: string;
  },
): Promise<PromiseToPay> {
  return db
    .insertInto('promises_to_pay')
    .values({
      organization_id: values.organizationId,
      invoice_id: values.invoiceId,
      customer_id: values.customerId,
      promised_date: values.promisedDate,
      note: values.note ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Closes an invoice's active promise to pay (at most one is active), if there is one. */
export async function closeActivePromiseToPay(
  db: DbOrTx,
  invoiceId: string,
  status: 'kept' | 'missed' | 'cancelled',
  at: Date,
): Promise<void> {
  await db
    .updateTable('promises_to_pay')
    .set({ status, closed_at: at })
    .where('invoice_id', '=', invoiceId)
    .where('status', '=', 'active')
    .execute();
}
