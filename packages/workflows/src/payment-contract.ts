/**
 * The payment event workflow: one per provider event, id `payment-<provider>-<eventId>`. The webhook
 * (or reconciliation) has stored the verified event; this applies it to the books in one transaction,
 * then signals the invoice workflows. Temporal is the outbox: an acknowledged event is never lost, and
 * the same id cannot run twice.
 */

export function paymentEventWorkflowId(provider: 'stripe' | 'gocardless', eventId: string): string {
  return `payment-${provider}-${eventId}`;
}

export const RECONCILIATION_SCHEDULE_ID = 'payments-reconciliation';

/** A signal an applied payment event asks for (the names are the invoice workflow's signals). */
export interface PaymentSignal {
  invoiceId: string;
  signal: 'paymentRecorded' | 'paymentPending' | 'paymentFailed';
  amountMinor?: number;
  fullyPaid?: boolean;
  reason?: string;
  /** The payment event a `paymentFailed` comes from: its notice is said once per event. */
  failureKey?: string;
  /** A reopened invoice whose workflow has ended gets a new run. */
  startIfEnded?: boolean;
}

export interface ReconciliationReport {
  stripe: { listed: number; fed: number } | null;
  gocardless: { listed: number; fed: number } | null;
}

export interface PaymentActivities {
  applyStoredPaymentEvent(input: { webhookEventId: string }): Promise<{ signals: PaymentSignal[] }>;
  sendPaymentSignals(input: { signals: PaymentSignal[] }): Promise<void>;
  reconcileProviderEvents(input: { lookbackMinutes: number }): Promise<ReconciliationReport>;
}
