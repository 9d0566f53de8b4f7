import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { PaymentActivities, ReconciliationReport } from './payment-contract';

/**
 * The payment event workflow: one per provider event, id `payment-<provider>-<eventId>` (see
 * payment-contract.ts). It applies the stored event in one transaction, then signals the invoices.
 */

const { applyStoredPaymentEvent } = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '1 minute',
  // An event can arrive before the one it depends on (a refund before the payment), and the database
  // can be down for a while (a failover, a weekend's maintenance): retry every 5 minutes at most, for
  // about a week (2,100 attempts), so no ordinary outage uses the attempts up. An event not applied
  // after PAYMENT_EVENT_UNAPPLIED_AFTER_MINUTES is listed for finance meanwhile.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 2_100,
  },
});

const { sendPaymentSignals, reconcileProviderEvents } = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function paymentEventWorkflow(input: { webhookEventId: string }): Promise<{ signals: number }> {
  if (!input.webhookEventId) throw ApplicationFailure.nonRetryable('webhookEventId is required');
  const { signals } = await applyStoredPaymentEvent(input);
  if (signals.length > 0) await sendPaymentSignals({ signals });
  return { signals: signals.length };
}

/** Started by the reconciliation schedule: feeds provider events that never arrived by webhook. */
export async function reconcilePaymentsWorkflow(
  input: { lookbackMinutes?: number } = {},
): Promise<ReconciliationReport> {
  return reconcileProviderEvents({ lookbackMinutes: input.lookbackMinutes ?? 180 });
}
