import type { Invoice, Payment, PaymentStatus } from '@settle/db';
import type { PaymentEventCommand } from './payment-event-command';

/**
 * The payment state machine, pure: what an event's command does to a payment in the state it is in.
 * Payments only move forward (pending → confirmed → paid out; pending → failed or cancelled; refunded
 * or charged back, in part or in full), and reversals count cumulative amounts, so a duplicate or
 * out-of-order event changes nothing it should not. The command handlers read and lock the rows, ask
 * here, and write what is decided.
 */

type Command<K extends PaymentEventCommand['kind']> = Extract<PaymentEventCommand, { kind: K }>;

/** Money arrived: only a payment still pending moves to confirmed; a later or reversed state is kept as it is. */
export function onPaymentSucceeded(payment: Pick<Payment, 'status'>): 'confirm' | 'keep' {
  return payment.status === 'pending' ? 'confirm' : 'keep';
}

/** Collection started: its invoices are marked payment pending only while the payment still is. */
export function onPaymentPending(payment: Pick<Payment, 'status'>): 'mark_invoices' | 'keep' {
  return payment.status === 'pending' ? 'mark_invoices' : 'keep';
}

/** An invoice takes the "payment pending" mark when it is open and has not got it already. */
export function takesPendingMark(invoice: Pick<Invoice, 'status' | 'payment_pending'>): boolean {
  return invoice.status === 'open' && !invoice.payment_pending;
}

/**
 * Why a confirmed payment goes to finance as a task instead of to its invoices: it names none, or one
 * is in another currency. Null: it pays them.
 */
export function paymentReviewOf(
  payment: Pick<Payment, 'provider_payment_id' | 'currency'>,
  invoices: Pick<Invoice, 'currency'>[],
): { reason: 'no invoice' | 'currency mismatch'; title: string } | null {
  const mismatched = invoices.filter((invoice) => invoice.currency !== payment.currency);
  if (mismatched.length === 0 && invoices.length > 0) return null;
  return invoices.length === 0
    ? { reason: 'no invoice', title: `Payment ${payment.provider_payment_id} matches no invoice` }
    : {
        reason: 'currency mismatch',
        title: `Payment in ${payment.currency} for invoices in ${mismatched.map((i) => i.currency).join(', ')}`,
      };
}

/**
 * A pending payment did not go through: it takes the failure's status. A failure after confirmation
 * (a late direct-debit failure) takes the money back like a charge-back; any other state is kept.
 */
export function onPaymentFailed(
  payment: Pick<Payment, 'status'>,
  command: Command<'failed'>,
):
  | { kind: 'reverse'; reversal: Command<'reversed'> }
  | { kind: 'fail'; status: Command<'failed'>['status'] }
  | { kind: 'keep' } {
  if (payment.status === 'confirmed' || payment.status === 'paid_out') {
    return {
      kind: 'reverse',
      reversal: {
        kind: 'reversed',
        provider: command.provider,
        providerPaymentId: command.providerPaymentId,
        status: 'charged_back',
        totalReversedMinor: null,
        reason: command.reason,
      },
    };
  }
  if (payment.status !== 'pending') return { kind: 'keep' };
  return { kind: 'fail', status: command.status };
}

/**
 * Money taken back. A payment still pending waits for its confirmation (`wait`: the event is retried
 * later). The cumulative total reversed, capped at the payment, is the target; the same or a lower
 * total (a redelivery, or an earlier refund arriving late) takes nothing back, and only a status that
 * a full reversal names may still change (refunded → charged back). A partial reversal keeps the
 * payment's status.
 */
export function onPaymentReversed(
  payment: Pick<Payment, 'status' | 'amount_minor' | 'reversed_minor'>,
  command: Command<'reversed'>,
): { kind: 'wait' } | { kind: 'keep' } | { kind: 'reverse'; targetMinor: number; status: PaymentStatus } {
  if (payment.status === 'pending') return { kind: 'wait' };
  const target = Math.min(command.totalReversedMinor ?? payment.amount_minor, payment.amount_minor);
  const fullyReversed = target >= payment.amount_minor;
  if (target <= payment.reversed_minor && (payment.status === command.status || !fullyReversed)) {
    return { kind: 'keep' };
  }
  return { kind: 'reverse', targetMinor: target, status: fullyReversed ? command.status : payment.status };
}

/**
 * What a reversal does to an invoice it takes money from, by the invoice's status before: a paid
 * invoice reopens; a paid or open one restarts dunning (its workflow is started again if it ended).
 */
export function reversalEffectOn(invoice: Pick<Invoice, 'status'>): {
  reopens: boolean;
  restartsDunning: boolean;
} {
  return {
    reopens: invoice.status === 'paid',
    restartsDunning: invoice.status === 'paid' || invoice.status === 'open',
  };
}

/**
 * The provider paid the money out: a confirmed payment is paid out; a pending one was confirmed
 * (out-of-order delivery) and is confirmed first, as the provider's own success event would; any
 * other state (failed, reversed, already paid out) is kept.
 */
export function onPaymentSettled(
  payment: Pick<Payment, 'status' | 'method'>,
  command: Command<'settled'>,
  now: Date,
):
  | { kind: 'confirm_then_pay_out'; confirmation: Command<'succeeded'> }
  | { kind: 'pay_out' }
  | { kind: 'keep' } {
  if (payment.status !== 'pending' && payment.status !== 'confirmed') return { kind: 'keep' };
  if (payment.status === 'confirmed') return { kind: 'pay_out' };
  return {
    kind: 'confirm_then_pay_out',
    confirmation: {
      kind: 'succeeded',
      provider: command.provider,
      providerPaymentId: command.providerPaymentId,
      attempt: null,
      method: payment.method === 'card' ? 'card' : 'direct_debit',
      at: now,
    },
  };
}
