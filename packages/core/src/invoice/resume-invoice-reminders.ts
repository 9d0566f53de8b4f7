import { type AuditEntry, appendAuditLog, inTransaction } from '@settle/db';
import { resumedByFinanceSignal, signalInvoiceReminders } from '@settle/workflows';
import type { InvoiceEventDeps } from './invoice-event-deps';
import { lockInvoice } from './lock-invoice';

/** Finance resumes an invoice's reminders; steps missed while paused do not all go out at once. */
export async function resumeInvoiceReminders(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; actor: AuditEntry['actor'] },
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  await inTransaction(deps.db, async (tx) => {
    const invoice = await lockInvoice(tx, input.organizationId, input.invoiceId);
    await tx
      .updateTable('invoices')
      .set({ paused_at: null, pause_reason: null, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'reminders.resumed',
      subject: { type: 'invoice', id: invoice.id },
    });
  });
  await signalInvoiceReminders(deps.temporal, input.invoiceId, resumedByFinanceSignal, [
    { by: input.actor.id ?? input.actor.type },
  ]);
}
