import {
  type AuditEntry,
  appendAuditLog,
  type Dispute,
  inTransaction,
  lockInvoiceWithCustomer,
  resolveDispute,
} from '@settle/db';
import { disputeResolvedSignal, signalInvoiceReminders } from '@settle/workflows';
import { AppError } from '../errors';
import type { InvoiceEventDeps } from '../invoice/invoice-event-deps';

/**
 * Resolves an open dispute. Upheld: the invoice is voided and its reminders end. Rejected: the answer
 * goes to the debtor and reminders resume.
 */
export async function resolveInvoiceDispute(
  deps: InvoiceEventDeps,
  input: {
    organizationId: string;
    disputeId: string;
    outcome: 'upheld' | 'rejected';
    note: string;
    /** Finance staff, or an integration acting through an API key. */
    actor: AuditEntry['actor'] & { type: 'user' | 'api_key' };
  },
): Promise<{ invoiceId: string; dispute: Dispute }> {
  const now = deps.now?.() ?? new Date();
  const dispute = await inTransaction(deps.db, async (tx) => {
    // The invoice's customer and the invoice first, as everywhere; then the dispute row.
    const open = await tx
      .selectFrom('disputes')
      .select('invoice_id')
      .where('organization_id', '=', input.organizationId)
      .where('id', '=', input.disputeId)
      .executeTakeFirst();
    if (open) await lockInvoiceWithCustomer(tx, open.invoice_id, { organizationId: input.organizationId });
    const resolved = await resolveDispute(tx, {
      organizationId: input.organizationId,
      disputeId: input.disputeId,
      outcome: input.outcome,
      note: input.note,
      // resolved_by names a staff user; an API key's resolution is attributed in the audit log.
      resolvedBy: input.actor.type === 'user' ? (input.actor.id ?? null) : null,
      at: now,
    });
    if (!resolved) {
      throw new AppError('NOT_FOUND', `no open dispute ${input.disputeId}`, {
        userMessage: 'No open dispute with that id.',
      });
    }
    if (input.outcome === 'upheld') {
      await tx
        .updateTable('invoices')
        .set({ status: 'void', closed_at: now, updated_at: now })
        .where('id', '=', resolved.invoice_id)
        .where('status', '=', 'open')
        .execute();
    }
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: `dispute.${input.outcome}`,
      subject: { type: 'invoice', id: resolved.invoice_id },
      data: { disputeId: resolved.id, note: input.note },
    });
    return resolved;
  });
  await signalInvoiceReminders(deps.temporal, dispute.invoice_id, disputeResolvedSignal, [
    { disputeId: dispute.id, outcome: input.outcome },
  ]);
  return { invoiceId: dispute.invoice_id, dispute };
}
