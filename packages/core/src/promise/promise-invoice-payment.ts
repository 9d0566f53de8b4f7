import {
  type AuditEntry,
  appendAuditLog,
  closeActivePromiseToPay,
  insertPromiseToPay,
  inTransaction,
  type PromiseToPay,
} from '@settle/db';
import { isValidDate } from '@settle/domain';
import { promiseToPaySignal, signalInvoiceReminders } from '@settle/workflows';
import { AppError } from '../errors';
import type { InvoiceEventDeps } from '../invoice/invoice-event-deps';
import { lockOpenInvoice } from '../invoice/lock-invoice';
import { assertPromiseAllowed } from './assert-promise-allowed';

/**
 * Records a promise to pay by a date within the policy's limits (`maxPromiseDays` from the customer's
 * local today, at most `maxPromiseRenewals` replacements per invoice); reminders pause until then.
 */
export async function promiseInvoicePayment(
  deps: InvoiceEventDeps,
  input: {
    organizationId: string;
    invoiceId: string;
    date: string;
    note?: string;
    actor: AuditEntry['actor'];
  },
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
