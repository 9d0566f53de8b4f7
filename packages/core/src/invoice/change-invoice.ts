import {
  type AuditEntry,
  appendAuditLog,
  type Invoice,
  inTransaction,
  lockInvoiceWithCustomer,
} from '@settle/db';
import { isValidDate } from '@settle/domain';
import { invoiceChangedSignal, signalInvoiceReminders } from '@settle/workflows';
import { AppError } from '../errors';
import type { InvoiceEventDeps } from './invoice-event-deps';

export interface InvoiceChanges {
  /** New due date, `YYYY-MM-DD`: the reminder plan is recomputed from it. */
  dueDate?: string;
  /** New total in minor units (a credit note or correction); must stay above what is already paid. */
  totalMinor?: number;
}

/**
 * Changes an open invoice's due date or amount, then signals its workflow, which re-plans its steps from
 * the new dates and balance. Bad input names the field and writes nothing.
 */
export async function changeInvoice(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; changes: InvoiceChanges; actor: AuditEntry['actor'] },
): Promise<Invoice> {
  const now = deps.now?.() ?? new Date();
  const { dueDate, totalMinor } = input.changes;
  const details: { field: string; message: string }[] = [];
  if (dueDate === undefined && totalMinor === undefined) {
    details.push({ field: 'dueDate', message: 'send dueDate, totalMinor or both' });
  }
  if (dueDate !== undefined && !isValidDate(dueDate))
    details.push({ field: 'dueDate', message: 'expected YYYY-MM-DD' });
  if (totalMinor !== undefined && (!Number.isSafeInteger(totalMinor) || totalMinor <= 0)) {
    details.push({ field: 'totalMinor', message: 'expected a positive integer of minor units' });
  }
  if (details.length > 0) {
    throw new AppError('VALIDATION', `invalid invoice change: ${details.map((d) => d.message).join('; ')}`, {
      userMessage: 'The change is invalid; see details.',
      details,
    });
  }
  const updated = await inTransaction(deps.db, async (tx) => {
    // Customer first, then the invoice, as every transaction on an invoice (docs/decisions/0008).
    const invoice = (
      await lockInvoiceWithCustomer(tx, input.invoiceId, { organizationId: input.organizationId })
    )?.invoice;
    if (!invoice) {
      throw new AppError('NOT_FOUND', `invoice ${input.invoiceId} not found`, {
        userMessage: 'Invoice not found.',
      });
    }
    if (invoice.status !== 'open') {
      throw new AppError('CONFLICT', `invoice ${invoice.number} is ${invoice.status}`, {
        userMessage: `Invoice ${invoice.number} is no longer open.`,
      });
    }
    if (dueDate !== undefined && dueDate < invoice.issue_date) {
      throw new AppError('VALIDATION', `due date ${dueDate} before issue date ${invoice.issue_date}`, {
        details: [{ field: 'dueDate', message: `must not be before the issue date ${invoice.issue_date}` }],
      });
    }
    if (totalMinor !== undefined && totalMinor <= invoice.paid_minor) {
      throw new AppError('VALIDATION', `total ${totalMinor} not above paid ${invoice.paid_minor}`, {
        details: [
          {
            field: 'totalMinor',
            message: `must be more than the ${invoice.paid_minor} already paid; to settle the rest, write the invoice off`,
          },
        ],
      });
    }
    const row = await tx
      .updateTable('invoices')
      .set({
        ...(dueDate !== undefined ? { due_date: dueDate } : {}),
        ...(totalMinor !== undefined ? { total_minor: totalMinor } : {}),
        updated_at: now,
      })
      .where('id', '=', invoice.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'invoice.changed',
      subject: { type: 'invoice', id: invoice.id },
      data: {
        ...(dueDate !== undefined ? { dueDate: { from: invoice.due_date, to: dueDate } } : {}),
        ...(totalMinor !== undefined ? { totalMinor: { from: invoice.total_minor, to: totalMinor } } : {}),
      },
    });
    return row;
  });
  await signalInvoiceReminders(deps.temporal, input.invoiceId, invoiceChangedSignal, []);
  return updated;
}
