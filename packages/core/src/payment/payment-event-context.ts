import {
  type AuditEntry,
  type DbOrTx,
  findPaymentByProviderId,
  type Invoice,
  lockCustomers,
  lockInvoices as lockInvoicesById,
  type Payment,
} from '@settle/db';
import { isUuid } from '@settle/domain';
import type { PaymentSignal } from '@settle/workflows';
import {
  type AttemptRef,
  type PaymentEventCommand,
  type PaymentEventProvider,
  PaymentNotYetKnownError,
} from './payment-event-command';

/**
 * What applying one event's commands shares: the transaction and its clock, the signals decided so
 * far, and the reads, row locks and writes every command starts from, in the lock order of
 * docs/decisions/0008-row-lock-order.md (customer, then its payment, attempt and invoices).
 */

/** The actor of every audit entry an applied event writes. */
export const SYSTEM: AuditEntry['actor'] = { type: 'system', id: 'payments' };

export interface ApplyContext {
  tx: DbOrTx;
  now: Date;
  signals: PaymentSignal[];
  organizationId: string | null;
  /** Customers this transaction holds the lock of (taken before their invoices and payments). */
  lockedCustomers: Set<string>;
}

/** A payment attempt (checkout session or billing request), as the commands read it. */
export type Attempt = {
  id: string;
  organization_id: string;
  customer_id: string;
  invoice_ids: string[];
  amount_minor: number;
  currency: string;
  status: string;
};

/** The attempt a command names; the local test checkout stands in for both providers. */
export async function findAttempt(
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
export async function lockCustomer(context: ApplyContext, customerId: string): Promise<void> {
  if (context.lockedCustomers.has(customerId)) return;
  await lockCustomers(context.tx, [customerId]);
  context.lockedCustomers.add(customerId);
}

/** The payment row, locked after its customer's lock. */
export async function lockPayment(
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

/** The payment's own attempt, locked. */
export async function attemptForPayment(tx: DbOrTx, payment: Payment): Promise<Attempt | undefined> {
  if (!payment.attempt_id) return undefined;
  return tx
    .selectFrom('payment_attempts')
    .select(['id', 'organization_id', 'customer_id', 'invoice_ids', 'amount_minor', 'currency', 'status'])
    .where('id', '=', payment.attempt_id)
    .forUpdate()
    .executeTakeFirst();
}

/** The invoices, locked in id order (under their customer's lock), listed oldest due first. */
export async function lockInvoices(tx: DbOrTx, organizationId: string, ids: string[]): Promise<Invoice[]> {
  const locked = await lockInvoicesById(tx, organizationId, ids);
  return locked.sort((a, b) => a.due_date.localeCompare(b.due_date) || a.number.localeCompare(b.number));
}

/** Closes an attempt still open as completed or failed. */
export async function setAttemptStatus(
  tx: DbOrTx,
  attemptId: string,
  status: 'completed' | 'failed',
  now: Date,
) {
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
export async function ensurePayment(
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

/**
 * Lifts "payment pending" from invoices that this payment no longer covers, and says so to their workflows.
 */
export async function clearPending(context: ApplyContext, invoices: Invoice[]): Promise<void> {
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
