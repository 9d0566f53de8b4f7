import { getCustomer } from '@settle/db';
import { z } from 'zod';
import { AppError } from '../errors';
import { assertPromiseAllowed } from '../promise/assert-promise-allowed';
import { promiseInvoicePayment } from '../promise/promise-invoice-payment';
import { assertDebtorRateLimit } from './assert-debtor-rate-limit';
import {
  type DebtorActionDeps,
  InvoiceIdSchema,
  ownOpenInvoices,
  validationError,
} from './debtor-action-checks';

export const DebtorPromiseSchema = z.object({
  invoiceIds: z.array(InvoiceIdSchema).min(1, 'choose at least one invoice').max(50),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date'),
  note: z.string().trim().max(1000, 'at most 1000 characters').optional(),
});
export type DebtorPromise = z.infer<typeof DebtorPromiseSchema>;

/**
 * A debtor promises to pay one or more invoices by a date within its policy's limits (from its own
 * local today; a limited number of renewals per invoice). All invoices are checked before any promise
 * is written, so a refusal for one leaves the others as they were.
 */
export async function promiseDebtorPayment(
  deps: DebtorActionDeps,
  input: { organizationId: string; customerId: string; promise: unknown },
): Promise<{ promiseIds: string[] }> {
  const now = deps.now?.() ?? new Date();
  const parsed = DebtorPromiseSchema.safeParse(input.promise);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { organizationId, customerId } = input;
  const invoices = await ownOpenInvoices(deps.db, {
    organizationId,
    customerId,
    invoiceIds: parsed.data.invoiceIds,
  });
  await assertDebtorRateLimit(deps.db, {
    organizationId,
    customerId,
    kind: 'promise',
    now,
    adding: invoices.length,
  });
  const customer = await getCustomer(deps.db, organizationId, customerId);
  if (!customer) {
    throw new AppError('NOT_FOUND', `customer ${customerId} not found`, { userMessage: 'Not found.' });
  }
  for (const invoice of invoices) {
    await assertPromiseAllowed(deps.db, { invoice, customer, date: parsed.data.date, now });
  }
  const promiseIds: string[] = [];
  for (const invoice of invoices) {
    const { promiseId } = await promiseInvoicePayment(deps, {
      organizationId,
      invoiceId: invoice.id,
      date: parsed.data.date,
      ...(parsed.data.note ? { note: parsed.data.note } : {}),
      actor: { type: 'debtor', id: customerId },
    });
    promiseIds.push(promiseId);
  }
  return { promiseIds };
}
