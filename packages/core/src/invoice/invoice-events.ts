import {
  type AuditEntry,
  appendAuditLog,
  closeActivePromiseToPay,
  type Db,
  type DbOrTx,
  type Dispute,
  type DisputeReason,
  findOpenDispute,
  type Invoice,
  insertPaymentOnce,
  insertPromiseToPay,
  inTransaction,
  listPaymentInvoiceIds,
  lockInvoiceWithCustomer,
  openDispute,
  type PromiseToPay,
  resolveDispute,
} from '@settle/db';
import { isValidDate } from '@settle/domain';
import {
  disputeOpenedSignal,
  disputeResolvedSignal,
  invoiceClosedSignal,
  pausedByFinanceSignal,
  paymentRecordedSignal,
  promiseToPaySignal,
  resumedByFinanceSignal,
  signalInvoiceReminders,
} from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';
import { applyPaymentToInvoice, keepAsCustomerCredit } from '../payment/payment-allocation';
import { assertPromiseAllowed } from '../promise/assert-promise-allowed';

/**
 * Application functions that change an invoice's collection state. Each writes the change in one
 * transaction (the database is the record: the workflow re-reads it before every send), then signals
 * the invoice's workflow so it reacts at once. A duplicate call changes nothing.
 */

export interface InvoiceEventDeps {
  db: Db;
  temporal: Client;
  now?: () => Date;
}

type Actor = AuditEntry['actor'];

/**
 * Locks the invoice's customer, then the invoice: the order every transaction on an invoice takes
 * (docs/decisions/0008-row-lock-order.md), so a payment, promise or dispute written here never
 * deadlocks with a reminder send or a provider event for the same customer.
 */
async function lockInvoice(tx: DbOrTx, organizationId: string, invoiceId: string): Promise<Invoice> {
  const locked = await lockInvoiceWithCustomer(tx, invoiceId, { organizationId });
  if (!locked)
    throw new AppError('NOT_FOUND', `invoice ${invoiceId} not found`, { userMessage: 'Invoice not found.' });
  return locked.invoice;
}

/** Locks an invoice that must still be open; a closed one is a conflict, named for people. */
async function lockOpenInvoice(tx: DbOrTx, organizationId: string, invoiceId: string): Promise<Invoice> {
  const invoice = await lockInvoice(tx, organizationId, invoiceId);
  if (invoice.status !== 'open') {
    throw new AppError('CONFLICT', `invoice ${invoice.number} is ${invoice.status}`, {
      userMessage: `Invoice ${invoice.number} is no longer open.`,
    });
  }
  return invoice;
}

export interface RecordPaymentInput {
  organizationId: string;
  invoiceId: string;
  amountMinor: number;
  currency: string;
  /** The payment's reference at its source (bank transaction id): recording it twice changes nothing. */
  reference: string;
  method: 'bank_transfer' | 'card' | 'direct_debit' | 'other';
  receivedAt?: Date;
  actor: Actor;
}

export interface RecordPaymentResult {
  paymentId: string;
  isNew: boolean;
  invoice: Invoice;
  /** The part beyond the balance, kept as customer credit. */
  overpaidMinor: number;
}

/** Records a payment received outside the providers (a bank transfer, say) against one invoice. */
export async function recordOfflinePayment(
  deps: InvoiceEventDeps,
  input: RecordPaymentInput,
): Promise<RecordPaymentResult> {
  const now = deps.now?.() ?? new Date();
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
    throw new AppError('VALIDATION', 'amountMinor must be a positive integer of minor units', {
      details: [{ field: 'amountMinor', message: 'expected a positive integer of minor units' }],
    });
  }
  if (input.reference.trim() === '') {
    throw new AppError('VALIDATION', 'reference is required', {
      details: [{ field: 'reference', message: 'required' }],
    });
  }
  const result = await inTransaction(deps.db, async (tx) => {
    const invoice = await lockInvoice(tx, input.organizationId, input.invoiceId);
    if (input.currency !== invoice.currency) {
      throw new AppError('VALIDATION', `payment in ${input.currency} for an invoice in ${invoice.currency}`, {
        details: [{ field: 'currency', message: `expected ${invoice.currency}, the invoice's currency` }],
      });
    }
    const { payment, isNew } = await insertPaymentOnce(tx, {
      organization_id: invoice.organization_id,
      customer_id: invoice.customer_id,
      provider: 'manual',
      provider_payment_id: `${invoice.organization_id}:${input.reference}`,
      method: input.method,
      amount_minor: input.amountMinor,
      currency: input.currency,
      status: 'confirmed',
      received_at: input.receivedAt ?? now,
    });
    if (!isNew) {
      // A reference names one bank transfer: reported again for the same invoice and amount it is the
      // same payment; for another invoice or amount it is a mistake, never a silent "done".
      const paidInvoices = await listPaymentInvoiceIds(tx, payment.id);
      const sameInvoice =
        paidInvoices.length === 0
          ? payment.customer_id === invoice.customer_id
          : paidInvoices.includes(invoice.id);
      if (!sameInvoice || payment.amount_minor !== input.amountMinor || payment.currency !== input.currency) {
        throw new AppError(
          'CONFLICT',
          `payment reference ${input.reference} already recorded as ${payment.amount_minor} ${payment.currency}${sameInvoice ? '' : ' for another invoice'}`,
          {
            userMessage: `The reference ${input.reference} is already used by another payment${sameInvoice ? ' of a different amount' : ' for another invoice'}.`,
            details: [
              {
                field: 'reference',
                message: sameInvoice
                  ? `already used by a payment of ${payment.amount_minor} ${payment.currency} minor units`
                  : 'already used by a payment for another invoice',
              },
            ],
          },
        );
      }
      return { paymentId: payment.id, isNew, invoice, overpaidMinor: 0 };
    }
    if (invoice.status !== 'open') {
      throw new AppError('CONFLICT', `invoice ${invoice.number} is ${invoice.status}`, {
        userMessage: `Invoice ${invoice.number} is ${invoice.status.replace('_', ' ')}; it takes no payments.`,
      });
    }
    const { appliedMinor: applied, invoice: updated } = await applyPaymentToInvoice(tx, {
      invoice,
      paymentId: payment.id,
      amountMinor: input.amountMinor,
      now,
    });
    const overpaidMinor = input.amountMinor - applied;
    await keepAsCustomerCredit(tx, payment, overpaidMinor);
    await appendAuditLog(tx, {
      organizationId: invoice.organization_id,
      actor: input.actor,
      action: 'payment.recorded',
      subject: { type: 'invoice', id: invoice.id },
      data: { paymentId: payment.id, amountMinor: input.amountMinor, applied, overpaidMinor },
    });
    return { paymentId: payment.id, isNew, invoice: updated, overpaidMinor };
  });
  if (result.isNew) {
    await signalInvoiceReminders(deps.temporal, input.invoiceId, paymentRecordedSignal, [
      { amountMinor: input.amountMinor, fullyPaid: result.invoice.status === 'paid' },
    ]);
  }
  return result;
}

/** Opens a dispute on an invoice: reminders pause until finance resolves it. */
export async function openInvoiceDispute(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; reason: DisputeReason; message: string; actor: Actor },
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
    actor: Actor & { type: 'user' | 'api_key' };
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

/**
 * Records a promise to pay by a date within the policy's limits (`maxPromiseDays` from the customer's
 * local today, at most `maxPromiseRenewals` replacements per invoice); reminders pause until then.
 */
export async function promiseInvoicePayment(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; date: string; note?: string; actor: Actor },
): Promise<{ promiseId: string; promise: PromiseToPay }> {
  const now = deps.now?.() ?? new Date();
  if (!isValidDate(input.date)) {
    throw new AppError('VALIDATION', 'date must be YYYY-MM-DD', {
      details: [{ field: 'date', message: 'expected YYYY-MM-DD' }],
    });
  }
  const promise = await inTransaction(deps.db, async (tx) => {
    const invoice = await lockOpenInvoice(tx, input.organizationId, input.invoiceId);
    const customer = await tx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', invoice.customer_id)
      .executeTakeFirstOrThrow();
    // Checked under the invoice's lock, so two renewals at once cannot both pass the count.
    await assertPromiseAllowed(tx, { invoice, customer, date: input.date, now });
    // A new promise replaces an earlier one.
    await closeActivePromiseToPay(tx, invoice.id, 'cancelled', now);
    const row = await insertPromiseToPay(tx, {
      organizationId: input.organizationId,
      invoiceId: invoice.id,
      customerId: invoice.customer_id,
      promisedDate: input.date,
      ...(input.note ? { note: input.note } : {}),
    });
    await appendAuditLog(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: 'promise.made',
      subject: { type: 'invoice', id: invoice.id },
      data: { promiseId: row.id, date: input.date },
    });
    return row;
  });
  await signalInvoiceReminders(deps.temporal, input.invoiceId, promiseToPaySignal, [{ until: input.date }]);
  return { promiseId: promise.id, promise };
}

/** Finance pauses an invoice's reminders (nothing is sent until resumed). */
export async function pauseInvoiceReminders(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; reason: string; actor: Actor },
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

/** Finance resumes an invoice's reminders; steps missed while paused do not all go out at once. */
export async function resumeInvoiceReminders(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; actor: Actor },
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

/** Voids an open invoice (or writes it off): its reminders end. */
export async function closeInvoice(
  deps: InvoiceEventDeps,
  input: { organizationId: string; invoiceId: string; as: 'voided' | 'written_off'; actor: Actor },
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
