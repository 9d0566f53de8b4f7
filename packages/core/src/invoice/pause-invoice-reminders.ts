import { type AuditEntry, appendAuditLog, inTransaction } from '@settle/db';
import { pausedByFinanceSignal, signalInvoiceReminders } from '@settle/workflows';
import type { InvoiceEventDeps } from './invoice-event-deps';
import { lockOpenInvoice } from './lock-invoice';

/** Finance pauses an invoice's reminders (nothing is sent until resumed). */
export async function pauseInvoiceReminders(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; reason: string; actor: AuditEntry['actor'] },
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await inTransaction(deps.db, async (tx) => {
    const invoice = await lockOpenInvoice(tx, input.organizationId, input.invoiceId);
    await tx
      .updateTable('invoices')
      .set({ paused_at: now, pause_reason: input.reason, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'reminders.paused',
      subject: { type: 'invoice', id: invoice.id },
      data: { reason: input.reason },
    });
  });
  await signalInvoiceReminders(deps.temporal, input.invoiceId, pausedByFinanceSignal, [
    { by: input.actor.id ?? input.actor.type },
  ]);
}
