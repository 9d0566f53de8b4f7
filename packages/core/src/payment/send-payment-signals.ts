import {
  type PaymentSignal,
  paymentFailedSignal,
  paymentPendingSignal,
  paymentRecordedSignal,
  signalInvoiceReminders,
} from '@settle/workflows';
import type { Client } from '@temporalio/client';

/** Sends the signals an applied event decided on. Safe to repeat: the workflow re-reads the invoice. */
export async function sendPaymentSignals(
  deps: { temporal: Client; taskQueue?: string },
  input: { signals: PaymentSignal[] },
): Promise<void> {
  const { temporal } = deps;
  const queue = deps.taskQueue ? { taskQueue: deps.taskQueue } : {};
  for (const s of input.signals) {
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
