import { AppError } from '../errors';

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
  /**
   * Money taken back (refund, card dispute, direct-debit charge-back): `totalReversedMinor` is cumulative;
   * null = all of it.
   */
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

/**
 * The event refers to a payment or attempt we do not know yet (a refund delivered before the payment
 * it refunds): nothing is written, and the caller retries later.
 */
export class PaymentNotYetKnownError extends AppError {
  constructor(what: string) {
    super('CONFLICT', `${what} is not known yet`);
  }
}
