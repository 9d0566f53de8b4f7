import {
  type AuditEntry,
  appendAuditLog,
  type Invoice,
  insertPaymentOnce,
  inTransaction,
  listPaymentInvoiceIds,
} from '@settle/db';
import { paymentRecordedSignal, signalInvoiceReminders } from '@settle/workflows';
import { AppError } from '../errors';
import type { InvoiceEventDeps } from '../invoice/invoice-event-deps';
import { lockInvoice } from '../invoice/lock-invoice';
import { applyPaymentToInvoice, keepAsCustomerCredit } from './payment-allocation';

export interface RecordPaymentInput {
  organizationId: string;
  invoiceId: string;
  amountMinor: number;
  currency: string;
  /** The payment's reference at its source (bank transaction id): recording it twice changes nothing. */
  reference: string;
  method: 'bank_transfer' | 'card' | 'direct_debit' | 'other';
  receivedAt?: Date;
  actor: AuditEntry['actor'];
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
