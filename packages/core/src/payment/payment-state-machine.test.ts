import type { PaymentStatus } from '@settle/db';
import { describe, expect, it } from 'vitest';
import {
  onPaymentFailed,
  onPaymentPending,
  onPaymentReversed,
  onPaymentSettled,
  onPaymentSucceeded,
  paymentReviewOf,
  reversalEffectOn,
  takesPendingMark,
} from './payment-state-machine';

const STATUSES: PaymentStatus[] = [
  'pending',
  'confirmed',
  'paid_out',
  'failed',
  'cancelled',
  'refunded',
  'charged_back',
];
const ref = { provider: 'stripe' as const, providerPaymentId: 'pi_1' };

describe('payment state machine', () => {
  it('confirms, and marks invoices pending for, a pending payment only', () => {
    for (const status of STATUSES) {
      const expected = status === 'pending';
      expect(onPaymentSucceeded({ status }), status).toBe(expected ? 'confirm' : 'keep');
      expect(onPaymentPending({ status }), status).toBe(expected ? 'mark_invoices' : 'keep');
    }
  });

  it('marks only open invoices not marked already as payment pending', () => {
    expect(takesPendingMark({ status: 'open', payment_pending: false })).toBe(true);
    expect(takesPendingMark({ status: 'open', payment_pending: true })).toBe(false);
    expect(takesPendingMark({ status: 'paid', payment_pending: false })).toBe(false);
  });

  it('sends a payment to finance when it names no invoice or one in another currency', () => {
    const payment = { provider_payment_id: 'pi_1', currency: 'EUR' };
    expect(paymentReviewOf(payment, [{ currency: 'EUR' }, { currency: 'EUR' }])).toBeNull();
    expect(paymentReviewOf(payment, [])).toEqual({
      reason: 'no invoice',
      title: 'Payment pi_1 matches no invoice',
    });
    expect(paymentReviewOf(payment, [{ currency: 'EUR' }, { currency: 'PLN' }])).toEqual({
      reason: 'currency mismatch',
      title: 'Payment in EUR for invoices in PLN',
    });
  });

  it('fails a pending payment, takes a confirmed or paid-out one back as a charge-back, keeps the rest', () => {
    const command = {
      kind: 'failed' as const,
      ...ref,
      status: 'cancelled' as const,
      reason: 'mandate cancelled',
    };
    expect(onPaymentFailed({ status: 'pending' }, command)).toEqual({ kind: 'fail', status: 'cancelled' });
    for (const status of ['confirmed', 'paid_out'] as const) {
      expect(onPaymentFailed({ status }, command)).toEqual({
        kind: 'reverse',
        reversal: {
          kind: 'reversed',
          ...ref,
          status: 'charged_back',
          totalReversedMinor: null,
          reason: 'mandate cancelled',
        },
      });
    }
    for (const status of ['failed', 'cancelled', 'refunded', 'charged_back'] as const) {
      expect(onPaymentFailed({ status }, command), status).toEqual({ kind: 'keep' });
    }
  });

  it('reverses up to the cumulative total, waits for a pending payment, and takes nothing twice', () => {
    const refund = (totalReversedMinor: number | null) => ({
      kind: 'reversed' as const,
      ...ref,
      status: 'refunded' as const,
      totalReversedMinor,
      reason: 'refund',
    });
    const confirmed = { status: 'confirmed' as const, amount_minor: 1000, reversed_minor: 0 };
    expect(onPaymentReversed({ ...confirmed, status: 'pending' }, refund(100))).toEqual({ kind: 'wait' });
    // A partial refund keeps the status; the whole amount (or no amount named) takes the refund's.
    expect(onPaymentReversed(confirmed, refund(300))).toEqual({
      kind: 'reverse',
      targetMinor: 300,
      status: 'confirmed',
    });
    expect(onPaymentReversed(confirmed, refund(null))).toEqual({
      kind: 'reverse',
      targetMinor: 1000,
      status: 'refunded',
    });
    expect(onPaymentReversed(confirmed, refund(5000))).toMatchObject({ targetMinor: 1000 });
    // The same or a lower total again (redelivered, or late) takes nothing.
    const partly = { ...confirmed, reversed_minor: 300 };
    expect(onPaymentReversed(partly, refund(300))).toEqual({ kind: 'keep' });
    expect(onPaymentReversed(partly, refund(200))).toEqual({ kind: 'keep' });
    // A full reversal may still change its name: refunded, then charged back.
    const refunded = { status: 'refunded' as const, amount_minor: 1000, reversed_minor: 1000 };
    expect(onPaymentReversed(refunded, refund(null))).toEqual({ kind: 'keep' });
    expect(onPaymentReversed(refunded, { ...refund(null), status: 'charged_back' })).toEqual({
      kind: 'reverse',
      targetMinor: 1000,
      status: 'charged_back',
    });
  });

  it('reopens a paid invoice a reversal takes from, and restarts dunning for paid and open ones', () => {
    expect(reversalEffectOn({ status: 'paid' })).toEqual({ reopens: true, restartsDunning: true });
    expect(reversalEffectOn({ status: 'open' })).toEqual({ reopens: false, restartsDunning: true });
    expect(reversalEffectOn({ status: 'void' })).toEqual({ reopens: false, restartsDunning: false });
  });

  it('pays out a confirmed payment, confirms a pending one first, and keeps any other state', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const settled = { kind: 'settled' as const, ...ref };
    expect(onPaymentSettled({ status: 'confirmed', method: 'card' }, settled, now)).toEqual({
      kind: 'pay_out',
    });
    expect(onPaymentSettled({ status: 'pending', method: 'direct_debit' }, settled, now)).toEqual({
      kind: 'confirm_then_pay_out',
      confirmation: { kind: 'succeeded', ...ref, attempt: null, method: 'direct_debit', at: now },
    });
    for (const status of ['paid_out', 'failed', 'cancelled', 'refunded', 'charged_back'] as const) {
      expect(onPaymentSettled({ status, method: 'card' }, settled, now), status).toEqual({ kind: 'keep' });
    }
  });
});
