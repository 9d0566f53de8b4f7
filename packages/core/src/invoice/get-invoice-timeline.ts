import { type DbOrTx, getInvoice, type InvoiceStatus, listInvoiceTimelineRows } from '@settle/db';
import { AppError } from '../errors';

/** One thing that happened to an invoice, for people reading its history (API and finance console). */
export type InvoiceTimelineEvent =
  | {
      at: string;
      kind: 'message';
      communicationId: string;
      channel: 'email' | 'sms' | 'letter';
      subject: string | null;
      status: 'pending' | 'sent' | 'failed' | 'cancelled';
      recipient: string;
      stepKey: string;
      error: string | null;
    }
  | {
      at: string;
      kind: 'payment';
      paymentId: string;
      /** The part of the payment applied to this invoice. */
      amountMinor: number;
      paymentAmountMinor: number;
      currency: string;
      provider: 'stripe' | 'gocardless' | 'manual';
      method: 'card' | 'direct_debit' | 'bank_transfer' | 'other';
      status: string;
    }
  | {
      at: string;
      kind: 'dispute';
      disputeId: string;
      reason: string;
      message: string;
      status: 'open' | 'upheld' | 'rejected';
      resolution: { note: string | null; at: string } | null;
    }
  | {
      at: string;
      kind: 'promise';
      promiseId: string;
      date: string;
      status: 'active' | 'kept' | 'missed' | 'cancelled';
      note: string | null;
    }
  | {
      at: string;
      kind: 'status';
      /** The audit action, e.g. `invoice.voided`, `reminders.paused`. */
      action: string;
      /** The invoice status this left behind, when the action changed it. */
      status: InvoiceStatus | null;
      actor: { type: string; id: string | null };
      data: Record<string, unknown>;
    };

/** Audit actions that are status changes of the invoice, and the status each leaves (null: unchanged). */
const STATUS_ACTIONS: Record<string, InvoiceStatus | null> = {
  'invoice.created': 'open',
  'invoice.changed': null,
  'invoice.voided': 'void',
  'invoice.written_off': 'written_off',
  'invoice.handed_over': 'in_collections',
  'dispute.upheld': 'void',
  'reminders.paused': null,
  'reminders.resumed': null,
  'reminders.started_by_sweep': null,
  'payment.reversed': 'open',
};

/**
 * An invoice's history: messages sent, payments, disputes, promises to pay and status changes, oldest
 * first. Another organization's invoice is NOT_FOUND.
 */
export async function getInvoiceTimeline(
  db: DbOrTx,
  options: { organizationId: string; invoiceId: string },
): Promise<InvoiceTimelineEvent[]> {
  const invoice = await getInvoice(db, options.organizationId, options.invoiceId);
  if (!invoice) {
    throw new AppError('NOT_FOUND', `invoice ${options.invoiceId} not found`, {
      userMessage: 'Invoice not found.',
    });
  }
  const rows = await listInvoiceTimelineRows(db, options.organizationId, options.invoiceId);
  const events: InvoiceTimelineEvent[] = [];
  for (const m of rows.messages) {
    events.push({
      at: (m.sent_at ?? m.created_at).toISOString(),
      kind: 'message',
      communicationId: m.id,
      channel: m.channel,
      subject: m.subject,
      status: m.status,
      recipient: m.recipient,
      stepKey: m.step_key,
      error: m.error,
    });
  }
  for (const p of rows.payments) {
    events.push({
      at: p.received_at.toISOString(),
      kind: 'payment',
      paymentId: p.id,
      amountMinor: Number(p.allocated_minor),
      paymentAmountMinor: Number(p.amount_minor),
      currency: p.currency,
      provider: p.provider,
      method: p.method,
      status: p.status,
    });
  }
  for (const d of rows.disputes) {
    events.push({
      at: d.opened_at.toISOString(),
      kind: 'dispute',
      disputeId: d.id,
      reason: d.reason,
      message: d.message,
      status: d.status,
      resolution: d.resolved_at ? { note: d.resolution_note, at: d.resolved_at.toISOString() } : null,
    });
  }
  for (const p of rows.promises) {
    events.push({
      at: p.created_at.toISOString(),
      kind: 'promise',
      promiseId: p.id,
      date: p.promised_date,
      status: p.status,
      note: p.note,
    });
  }
  for (const entry of rows.audit) {
    if (!(entry.action in STATUS_ACTIONS)) continue;
    events.push({
      at: entry.created_at.toISOString(),
      kind: 'status',
      action: entry.action,
      status: STATUS_ACTIONS[entry.action] ?? null,
      actor: { type: entry.actor_type, id: entry.actor_id },
      data: entry.data,
    });
  }
  // Payment and hand-over paths do not log a status action; the invoice row records when they happened.
  const closings: [Date | null, string, InvoiceStatus][] = [
    [invoice.paid_at, 'invoice.paid', 'paid'],
    [invoice.status === 'in_collections' ? invoice.closed_at : null, 'invoice.handed_over', 'in_collections'],
  ];
  for (const [at, action, status] of closings) {
    if (!at || rows.audit.some((entry) => entry.action === action)) continue;
    events.push({
      at: at.toISOString(),
      kind: 'status',
      action,
      status,
      actor: { type: 'system', id: null },
      data: {},
    });
  }
  // Stable: same-instant events keep the order they were added in (messages before payments, say).
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
