import {
  type AuditEntry,
  appendAuditLog,
  type Db,
  type DbOrTx,
  findPaymentByProviderId,
  type Invoice,
  insertTaskOnce,
  inTransaction,
  listPaymentAllocations,
  lockCustomers,
  lockInvoices as lockInvoicesById,
  type Payment,
  type PaymentStatus,
  reversePaymentAllocation,
} from '@settle/db';
import { isUuid } from '@settle/domain';
import {
  type PaymentSignal,
  paymentFailedSignal,
  paymentPendingSignal,
  paymentRecordedSignal,
  signalInvoiceReminders,
} from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';
import {
  applyPaymentToInvoice,
  changeCustomerCredit,
  keepAsCustomerCredit,
  planPaymentReversal,
} from './payment-allocation';

/**
 * The payments-to-paid rules, provider-agnostic. A provider event (verified and stored by the webhook
 * or by reconciliation) is turned into commands by the payments package; this applies them to the
 * books in ONE transaction and decides which invoice workflows to signal. A duplicate or out-of-order
 * event changes nothing it should not: payments are unique by provider payment id and only move
 * forward (pending → confirmed → paid out), and reversals count cumulative amounts.
 */

export type PaymentEventProvider = 'stripe' | 'gocardless';

/** Which payment attempt (checkout session or billing request) an event belongs to. */
export type AttemptRef = { id: string } | { providerReference: string };

export type PaymentEventCommand =
  /** Money arrived (card paid, direct debit confirmed). Amount/currency needed for a payment not seen yet. */
  | {
      kind: 'succeeded';
      provider: PaymentEventProvider;
      providerPaymentId: string;
      attempt: AttemptRef | null;
      amountMinor?: number;
      currency?: string;
      method: 'card' | 'direct_debit';
      at: Date;
    }
  /** Collection started but not confirmed (direct debit submitted): dunning pauses. */
  | {
      kind: 'pending';
      provider: PaymentEventProvider;
      providerPaymentId: string;
      attempt: AttemptRef | null;
      method: 'card' | 'direct_debit';
      at: Date;
      mandate?: { customerReference: string | null; mandateId: string | null };
    }
  /** A pending payment did not go through. */
  | {
      kind: 'failed';
      provider: PaymentEventProvider;
      providerPaymentId: string;
      status: 'failed' | 'cancelled';
      reason: string;
    }
  /** A checkout that never produced a payment failed (Stripe async payment failed before any row). */
  | { kind: 'attempt_failed'; provider: PaymentEventProvider; attempt: AttemptRef; reason: string }
  /** Money taken back (refund, card dispute, direct-debit charge-back): `totalReversedMinor` is cumulative; null = all of it. */
  | {
      kind: 'reversed';
      provider: PaymentEventProvider;
      providerPaymentId: string;
      status: 'refunded' | 'charged_back';
      totalReversedMinor: number | null;
      reason: string;
    }
  /** The provider paid the money out to the creditor. */
  | { kind: 'settled'; provider: PaymentEventProvider; providerPaymentId: string }
  /** A GoCardless mandate changed. */
  | { kind: 'mandate'; mandateId: string; status: string };

export interface ApplyPaymentEventResult {
  organizationId: string | null;
  signals: PaymentSignal[];
  /** True when an earlier attempt had already applied this event. */
  alreadyApplied: boolean;
}

/**
 * The event refers to a payment or attempt we do not know yet (a refund delivered before the payment
 * it refunds): nothing is written, and the caller retries later.
 */
export class PaymentNotYetKnownError extends AppError {
  constructor(what: string) {
    super('CONFLICT', `${what} is not known yet`);
  }
}

const SYSTEM: AuditEntry['actor'] = { type: 'system', id: 'payments' };

interface ApplyContext {
  tx: DbOrTx;
  now: Date;
  signals: PaymentSignal[];
  organizationId: string | null;
  /** Customers this transaction holds the lock of (taken before their invoices and payments). */
  lockedCustomers: Set<string>;
}

/**
 * Applies a stored provider event's commands in one transaction; returns the signals to send. Row
 * locks follow docs/decisions/0008-row-lock-order.md: the event's own row (only its application takes
 * it), then the customer, then its payment, attempt and invoices (by id); a deadlock or serialization
 * failure that still happens runs the whole transaction again.
 */
export async function applyPaymentEvent(
  db: Db,
  input: { webhookEventId: string; commands: PaymentEventCommand[]; now?: Date },
): Promise<ApplyPaymentEventResult> {
  const now = input.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const event = await tx
      .selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', input.webhookEventId)
      .forUpdate()
      .executeTakeFirst();
    if (!event) throw new AppError('NOT_FOUND', `webhook event ${input.webhookEventId} not found`);
    if (event.processed_at) {
      const stored = (event.result ?? { signals: [] }) as { signals: PaymentSignal[] };
      return { organizationId: event.organization_id, signals: stored.signals, alreadyApplied: true };
    }
    const context: ApplyContext = { tx, now, signals: [], organizationId: null, lockedCustomers: new Set() };
    for (const command of input.commands) await applyCommand(context, command);
    // A failure's notice is keyed on its event, so a signal sent twice (a retried activity) says it once.
    for (const s of context.signals) if (s.signal === 'paymentFailed') s.failureKey = event.id;
    await tx
      .updateTable('webhook_events')
      .set({
        processed_at: now,
        organization_id: context.organizationId,
        result: JSON.stringify({ signals: context.signals }),
        error: null,
      })
      .where('id', '=', event.id)
      .execute();
    return { organizationId: context.organizationId, signals: context.signals, alreadyApplied: false };
  });
}

/** Sends the signals an applied event decided on. Safe to repeat: the workflow re-reads the invoice. */
export async function sendPaymentSignals(
  temporal: Client,
  signals: PaymentSignal[],
  options: { taskQueue?: string } = {},
): Promise<void> {
  const queue = options.taskQueue ? { taskQueue: options.taskQueue } : {};
  for (const s of signals) {
    switch (s.signal) {
      case 'paymentRecorded':
        await signalInvoiceReminders(temporal, s.invoiceId, paymentRecordedSignal, [
          { amountMinor: s.amountMinor ?? 0, fullyPaid: s.fullyPaid ?? false },
        ]);
        break;
      case 'paymentPending':
        await signalInvoiceReminders(temporal, s.invoiceId, paymentPendingSignal, []);
        break;
      case 'paymentFailed':
        await signalInvoiceReminders(
          temporal,
          s.invoiceId,
          paymentFailedSignal,
          [{ reason: s.reason ?? 'payment failed', ...(s.failureKey ? { failureKey: s.failureKey } : {}) }],
          { startIfEnded: s.startIfEnded ?? false, ...queue },
        );
        break;
      default: {
        const unknown: never = s.signal;
        throw new Error(`unknown payment signal ${String(unknown)}`);
      }
    }
  }
}

async function applyCommand(context: ApplyContext, command: PaymentEventCommand): Promise<void> {
  switch (command.kind) {
    case 'succeeded':
      return applySucceeded(context, command);
    case 'pending':
      return applyPending(context, command);
    case 'failed':
      return applyFailed(context, command);
    case 'attempt_failed':
      return applyAttemptFailed(context, command);
    case 'reversed':
      return applyReversed(context, command);
    case 'settled':
      return applySettled(context, command);
    case 'mandate':
      return applyMandate(context, command);
    default: {
      const unknown: never = command;
      throw new Error(`unknown payment command ${JSON.stringify(unknown)}`);
    }
  }
}

type Attempt = {
  id: string;
  organization_id: string;
  customer_id: string;
  invoice_ids: string[];
  amount_minor: number;
  currency: string;
  status: string;
};

async function findAttempt(
  tx: DbOrTx,
  provider: PaymentEventProvider,
  ref: AttemptRef,
  options: { lock: boolean },
): Promise<Attempt | undefined> {
  let query = tx
    .selectFrom('payment_attempts')
    .select(['id', 'organization_id', 'customer_id', 'invoice_ids', 'amount_minor', 'currency', 'status']);
  if (options.lock) query = query.forUpdate();
  if ('id' in ref) {
    // Attempt ids come from metadata we wrote; a malformed one simply matches nothing.
    if (!isUuid(ref.id)) return undefined;
    query = query.where('id', '=', ref.id);
  } else {
    query = query.where('provider_reference', '=', ref.providerReference);
  }
  // The local test checkout stands in for both providers.
  return query.where('provider', 'in', [provider, 'local']).executeTakeFirst();
}

/** Locks a customer once per transaction: before any of its payments, attempts or invoices. */
async function lockCustomer(context: ApplyContext, customerId: string): Promise<void> {
  if (context.lockedCustomers.has(customerId)) return;
  await lockCustomers(context.tx, [customerId]);
  context.lockedCustomers.add(customerId);
}

/** The payment row, locked after its customer's lock. */
async function lockPayment(
  context: ApplyContext,
  provider: PaymentEventProvider,
  providerPaymentId: string,
): Promise<Payment | undefined> {
  const known = await findPaymentByProviderId(context.tx, provider, providerPaymentId);
  if (!known) return undefined;
  // A payment never changes customer, so the customer read before the lock is the one to lock.
  await lockCustomer(context, known.customer_id);
  return context.tx
    .selectFrom('payments')
    .selectAll()
    .where('id', '=', known.id)
    .forUpdate()
    .executeTakeFirst();
}

async function attemptForPayment(tx: DbOrTx, payment: Payment): Promise<Attempt | undefined> {
  if (!payment.attempt_id) return undefined;
  return tx
    .selectFrom('payment_attempts')
    .select(['id', 'organization_id', 'customer_id', 'invoice_ids', 'amount_minor', 'currency', 'status'])
    .where('id', '=', payment.attempt_id)
    .forUpdate()
    .executeTakeFirst();
}

/** The invoices, locked in id order (under their customer's lock), listed oldest due first. */
async function lockInvoices(tx: DbOrTx, organizationId: string, ids: string[]): Promise<Invoice[]> {
  const locked = await lockInvoicesById(tx, organizationId, ids);
  return locked.sort((a, b) => a.due_date.localeCompare(b.due_date) || a.number.localeCompare(b.number));
}

async function setAttemptStatus(tx: DbOrTx, attemptId: string, status: 'completed' | 'failed', now: Date) {
  await tx
    .updateTable('payment_attempts')
    .set({ status, updated_at: now })
    .where('id', '=', attemptId)
    .where('status', '=', 'open')
    .execute();
}

/**
 * The event's payment row, locked. The first event about a payment creates it, pending, from the
 * attempt it names (amount and currency from the event when it carries them, else from the attempt).
 */
async function ensurePayment(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'succeeded' | 'pending' }>,
): Promise<{ payment: Payment; attempt: Attempt | undefined }> {
  const { tx } = context;
  const existing = await lockPayment(context, command.provider, command.providerPaymentId);
  if (existing) return { payment: existing, attempt: await attemptForPayment(tx, existing) };
  const named = command.attempt
    ? await findAttempt(tx, command.provider, command.attempt, { lock: false })
    : undefined;
  if (!named) throw new PaymentNotYetKnownError(`payment attempt for ${command.providerPaymentId}`);
  await lockCustomer(context, named.customer_id);
  // Under the customer's lock: another event about the same payment may have created it meanwhile.
  const created = await lockPayment(context, command.provider, command.providerPaymentId);
  if (created) return { payment: created, attempt: await attemptForPayment(tx, created) };
  const attempt = await findAttempt(tx, command.provider, { id: named.id }, { lock: true });
  if (!attempt) throw new PaymentNotYetKnownError(`payment attempt for ${command.providerPaymentId}`);
  const amount: { amountMinor?: number; currency?: string } = command.kind === 'succeeded' ? command : {};
  const payment = await tx
    .insertInto('payments')
    .values({
      organization_id: attempt.organization_id,
      customer_id: attempt.customer_id,
      provider: command.provider,
      provider_payment_id: command.providerPaymentId,
      method: command.method,
      amount_minor: amount.amountMinor ?? attempt.amount_minor,
      currency: amount.currency ?? attempt.currency,
      status: 'pending',
      via_portal: true,
      attempt_id: attempt.id,
      received_at: command.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { payment, attempt };
}

async function applySucceeded(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'succeeded' }>,
): Promise<void> {
  const { tx, now } = context;
  const { payment, attempt } = await ensurePayment(context, command);
  context.organizationId = payment.organization_id;
  // Only a payment still pending moves to confirmed; a later or reversed state is kept as it is.
  if (payment.status !== 'pending') return;
  await tx
    .updateTable('payments')
    .set({ status: 'confirmed', received_at: command.at, updated_at: now })
    .where('id', '=', payment.id)
    .execute();
  if (attempt) await setAttemptStatus(tx, attempt.id, 'completed', now);

  const invoices = await lockInvoices(tx, payment.organization_id, attempt?.invoice_ids ?? []);
  const mismatched = invoices.filter((invoice) => invoice.currency !== payment.currency);
  if (mismatched.length > 0 || invoices.length === 0) {
    await insertTaskOnce(tx, {
      organization_id: payment.organization_id,
      kind: 'payment_review',
      idempotency_key: `payment-review/${payment.id}`,
      customer_id: payment.customer_id,
      invoice_id: invoices[0]?.id ?? null,
      title:
        invoices.length === 0
          ? `Payment ${payment.provider_payment_id} matches no invoice`
          : `Payment in ${payment.currency} for invoices in ${mismatched.map((i) => i.currency).join(', ')}`,
      details: JSON.stringify({
        paymentId: payment.id,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
        invoiceIds: invoices.map((i) => i.id),
      }),
    });
    await clearPending(context, invoices);
    await appendAuditLog(tx, {
      organizationId: payment.organization_id,
      actor: SYSTEM,
      action: 'payment.needs_review',
      subject: { type: 'payment', id: payment.id },
      data: { reason: invoices.length === 0 ? 'no invoice' : 'currency mismatch' },
    });
    return;
  }

  let remaining = payment.amount_minor;
  let position = 0;
  for (const invoice of invoices) {
    const { appliedMinor: applied, fullyPaid } = await applyPaymentToInvoice(tx, {
      invoice,
      paymentId: payment.id,
      amountMinor: remaining,
      now,
      position,
    });
    if (applied === 0) continue;
    remaining -= applied;
    position += 1;
    await appendAuditLog(tx, {
      organizationId: invoice.organization_id,
      actor: SYSTEM,
      action: 'payment.recorded',
      subject: { type: 'invoice', id: invoice.id },
      data: { paymentId: payment.id, provider: payment.provider, applied, fullyPaid },
    });
    context.signals.push({
      invoiceId: invoice.id,
      signal: 'paymentRecorded',
      amountMinor: applied,
      fullyPaid,
    });
  }
  // An invoice that received nothing (paid another way meanwhile) still leaves "payment pending".
  await clearPending(
    context,
    invoices.filter((invoice) => !context.signals.some((s) => s.invoiceId === invoice.id)),
  );
  await keepAsCustomerCredit(tx, payment, remaining);
}

/** Lifts "payment pending" from invoices that this payment no longer covers, and says so to their workflows. */
async function clearPending(context: ApplyContext, invoices: Invoice[]): Promise<void> {
  for (const invoice of invoices) {
    if (!invoice.payment_pending) continue;
    await context.tx
      .updateTable('invoices')
      .set({ payment_pending: false, updated_at: context.now })
      .where('id', '=', invoice.id)
      .execute();
    context.signals.push({ invoiceId: invoice.id, signal: 'paymentFailed', reason: 'payment not applied' });
  }
}

async function applyPending(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'pending' }>,
): Promise<void> {
  const { tx, now } = context;
  const { payment, attempt } = await ensurePayment(context, command);
  context.organizationId = payment.organization_id;
  if (command.mandate?.mandateId) {
    await tx
      .updateTable('customers')
      .set({
        gocardless_mandate_id: command.mandate.mandateId,
        gocardless_customer_id: command.mandate.customerReference,
        gocardless_mandate_status: 'pending_submission',
        updated_at: now,
      })
      .where('id', '=', payment.customer_id)
      .execute();
  }
  if (payment.status !== 'pending' || !attempt) return;
  const invoices = await lockInvoices(tx, payment.organization_id, attempt.invoice_ids);
  for (const invoice of invoices) {
    if (invoice.status !== 'open' || invoice.payment_pending) continue;
    await tx
      .updateTable('invoices')
      .set({ payment_pending: true, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
    context.signals.push({ invoiceId: invoice.id, signal: 'paymentPending' });
  }
}

async function applyFailed(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'failed' }>,
): Promise<void> {
  const { tx, now } = context;
  const payment = await lockPayment(context, command.provider, command.providerPaymentId);
  if (!payment) throw new PaymentNotYetKnownError(`payment ${command.providerPaymentId}`);
  context.organizationId = payment.organization_id;
  if (payment.status === 'confirmed' || payment.status === 'paid_out') {
    // A late failure after confirmation takes the money back like a charge-back.
    return applyReversed(context, {
      kind: 'reversed',
      provider: command.provider,
      providerPaymentId: command.providerPaymentId,
      status: 'charged_back',
      totalReversedMinor: null,
      reason: command.reason,
    });
  }
  if (payment.status !== 'pending') return;
  await tx
    .updateTable('payments')
    .set({ status: command.status, updated_at: now })
    .where('id', '=', payment.id)
    .execute();
  const attempt = await attemptForPayment(tx, payment);
  if (!attempt) return;
  await setAttemptStatus(tx, attempt.id, 'failed', now);
  const invoices = await lockInvoices(tx, payment.organization_id, attempt.invoice_ids);
  for (const invoice of invoices) {
    if (!invoice.payment_pending) continue;
    await tx
      .updateTable('invoices')
      .set({ payment_pending: false, updated_at: now })
      .where('id', '=', invoice.id)
      .execute();
    context.signals.push({ invoiceId: invoice.id, signal: 'paymentFailed', reason: command.reason });
  }
  await appendAuditLog(tx, {
    organizationId: payment.organization_id,
    actor: SYSTEM,
    action: 'payment.failed',
    subject: { type: 'payment', id: payment.id },
    data: { status: command.status, reason: command.reason },
  });
}

async function applyAttemptFailed(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'attempt_failed' }>,
): Promise<void> {
  const attempt = await findAttempt(context.tx, command.provider, command.attempt, { lock: true });
  if (!attempt) return;
  context.organizationId = attempt.organization_id;
  await setAttemptStatus(context.tx, attempt.id, 'failed', context.now);
}

async function applyReversed(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'reversed' }>,
): Promise<void> {
  const { tx, now } = context;
  const payment = await lockPayment(context, command.provider, command.providerPaymentId);
  if (!payment) throw new PaymentNotYetKnownError(`payment ${command.providerPaymentId}`);
  context.organizationId = payment.organization_id;
  if (payment.status === 'pending') {
    // Reversed before we saw it confirmed: wait for the confirmation, then take it back.
    throw new PaymentNotYetKnownError(`confirmation of payment ${command.providerPaymentId}`);
  }
  const target = Math.min(command.totalReversedMinor ?? payment.amount_minor, payment.amount_minor);
  const fullyReversed = target >= payment.amount_minor;
  // The same or a lower cumulative amount (a redelivery, or an earlier refund arriving late) takes
  // nothing back; only a status that a full reversal names may still change (refunded → charged back).
  if (target <= payment.reversed_minor && (payment.status === command.status || !fullyReversed)) return;
  const nextStatus: PaymentStatus = fullyReversed ? command.status : payment.status;

  const plan = planPaymentReversal({
    totalReversedMinor: target,
    credit: { allocatedMinor: payment.credit_minor, reversedMinor: payment.credit_reversed_minor },
    allocations: await listPaymentAllocations(tx, payment.id),
  });
  if (plan.fromCreditMinor > 0) await changeCustomerCredit(tx, payment.customer_id, -plan.fromCreditMinor);
  const invoices = await lockInvoices(
    tx,
    payment.organization_id,
    plan.fromInvoices.map((part) => part.invoiceId),
  );
  for (const part of plan.fromInvoices) {
    const invoice = invoices.find((candidate) => candidate.id === part.invoiceId);
    if (!invoice) continue;
    const take = part.amountMinor;
    await reversePaymentAllocation(tx, { paymentId: payment.id, invoiceId: invoice.id, amountMinor: take });
    const reopen = invoice.status === 'paid';
    await tx
      .updateTable('invoices')
      .set({
        paid_minor: Math.max(0, invoice.paid_minor - take),
        updated_at: now,
        ...(reopen ? { status: 'open' as const, paid_at: null, closed_at: null } : {}),
      })
      .where('id', '=', invoice.id)
      .execute();
    await appendAuditLog(tx, {
      organizationId: invoice.organization_id,
      actor: SYSTEM,
      action: 'payment.reversed',
      subject: { type: 'invoice', id: invoice.id },
      data: { paymentId: payment.id, status: command.status, amountMinor: take, reopened: reopen },
    });
    if (invoice.status === 'paid' || invoice.status === 'open') {
      context.signals.push({
        invoiceId: invoice.id,
        signal: 'paymentFailed',
        reason: command.reason,
        startIfEnded: true,
      });
    }
  }
  await tx
    .updateTable('payments')
    .set({
      status: nextStatus,
      reversed_minor: Math.max(target, payment.reversed_minor),
      credit_reversed_minor: payment.credit_reversed_minor + plan.fromCreditMinor,
      updated_at: now,
    })
    .where('id', '=', payment.id)
    .execute();
}

async function applySettled(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'settled' }>,
): Promise<void> {
  const payment = await lockPayment(context, command.provider, command.providerPaymentId);
  if (!payment) throw new PaymentNotYetKnownError(`payment ${command.providerPaymentId}`);
  context.organizationId = payment.organization_id;
  if (payment.status !== 'pending' && payment.status !== 'confirmed') return;
  // Paid out before we saw it confirmed (out-of-order delivery): it was confirmed.
  if (payment.status === 'pending') {
    await applySucceeded(context, {
      kind: 'succeeded',
      provider: command.provider,
      providerPaymentId: command.providerPaymentId,
      attempt: null,
      method: payment.method === 'card' ? 'card' : 'direct_debit',
      at: context.now,
    });
  }
  await context.tx
    .updateTable('payments')
    .set({ status: 'paid_out', updated_at: context.now })
    .where('id', '=', payment.id)
    .execute();
}

async function applyMandate(
  context: ApplyContext,
  command: Extract<PaymentEventCommand, { kind: 'mandate' }>,
): Promise<void> {
  const updated = await context.tx
    .updateTable('customers')
    .set({ gocardless_mandate_status: command.status, updated_at: context.now })
    .where('gocardless_mandate_id', '=', command.mandateId)
    .returning(['organization_id'])
    .executeTakeFirst();
  if (updated) context.organizationId = updated.organization_id;
}
