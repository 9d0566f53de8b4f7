import {
  type AuditEntry,
  appendAuditLog,
  type DisputeReason,
  findOpenDispute,
  inTransaction,
  openDispute,
} from '@settle/db';
import { disputeOpenedSignal, signalInvoiceReminders } from '@settle/workflows';
import { AppError } from '../errors';
import type { InvoiceEventDeps } from '../invoice/invoice-event-deps';
import { lockOpenInvoice } from '../invoice/lock-invoice';

/** Opens a dispute on an invoice: reminders pause until finance resolves it. */
export async function openInvoiceDispute(
  deps: InvoiceEventDeps,
  input: {
    organizationId: string;
    invoiceId: string;
    reason: DisputeReason;
    message: string;
    actor: AuditEntry['actor'];
  },
): Promise<{ disputeId: string }> {
  const dispute = await inTransaction(deps.db, async (tx) => {
    const invoice = await lockOpenInvoice(tx, input.organizationId, input.invoiceId);
    if (await findOpenDispute(tx, input.organizationId, input.invoiceId)) {
      throw new AppError('CONFLICT', `invoice ${invoice.number} already has an open dispute`, {
        userMessage: 'This invoice is already disputed; finance will answer the open dispute.',
      });
    }
    const row = await openDispute(tx, {
      organizationId: input.organizationId,
      invoiceId: invoice.id,
      customerId: invoice.customer_id,
      reason: input.reason,
      message: input.message,
    });
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'dispute.opened',
      subject: { type: 'invoice', id: invoice.id },
      data: { disputeId: row.id, reason: input.reason },
    });
    return row;
  });
  await signalInvoiceReminders(deps.temporal, input.invoiceId, disputeOpenedSignal, [
    { disputeId: dispute.id },
  ]);
  return { disputeId: dispute.id };
}
