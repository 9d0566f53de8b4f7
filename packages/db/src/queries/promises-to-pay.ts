import type { DbOrTx } from '../client';

/** How many promises to pay an invoice has had, whatever became of them (active, kept, missed, cancelled). */
export async function countInvoicePromisesToPay(db: DbOrTx, invoiceId: string): Promise<number> {
  const row = await db
    .selectFrom('promises_to_pay')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
