import { type AuditEntry, appendAuditLog, type Invoice, inTransaction } from '@settle/db';
import { invoiceClosedSignal, signalInvoiceReminders } from '@settle/workflows';
import type { InvoiceEventDeps } from './invoice-event-deps';
import { lockOpenInvoice } from './lock-invoice';

/** Voids an open invoice (or writes it off): its reminders end. */
export async function closeInvoice(
  deps: InvoiceEventDeps,
  input: {
    organizationId: string;
    invoiceId: string;
    as: 'voided' | 'written_off';
    actor: AuditEntry['actor'];
  },
): Promise<Invoice> {
  const now = deps.now?.() ?? new Date();
  const closed = await inTransaction(deps.db, async (tx) => {
    const invoice = await lockOpenInvoice(tx, input.organizationId, input.invoiceId);
    const row = await tx
      .updateTable('invoices')
      .set({ status: input.as === 'voided' ? 'void' : 'written_off', closed_at: now, updated_at: now })
      .where('id', '=', invoice.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: `invoice.${input.as}`,
      subject: { type: 'invoice', id: invoice.id },
    });
    return row;
  });
  await signalInvoiceReminders(deps.temporal, input.invoiceId, invoiceClosedSignal, [{ reason: input.as }]);
  return closed;
}
