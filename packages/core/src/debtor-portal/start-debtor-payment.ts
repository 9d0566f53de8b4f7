import {
  type Db,
  getCustomer,
  type Invoice,
  listCustomerInvoices,
  listCustomerInvoicesByIds,
} from '@settle/db';
import { daysOverdue, isUuid, localDateOf } from '@settle/domain';
import { z } from 'zod';
import { AppError } from '../errors';
import { assertDebtorRateLimit } from './assert-debtor-rate-limit';
import { isPayableInPortal } from './debtor-invoice-status';

export const DebtorPaymentSchema = z.object({
  /** `overdue`: every overdue invoice of the customer; `invoices`: the ones named in `invoiceIds`. */
  scope: z.enum(['invoices', 'overdue'], { error: 'choose what to pay' }),
  invoiceIds: z.array(z.string()).default([]),
  method: z.enum(['card', 'direct_debit'], { error: 'choose card or direct debit' }),
});
export type DebtorPayment = z.infer<typeof DebtorPaymentSchema>;

/**
 * The payments package's `startPayment` (it depends on core, so core receives it rather than
 * importing it): records an attempt and returns the provider's hosted page.
 */
export type StartPaymentFn = (
  deps: { db: Db; portalBaseUrl: string; now?: () => Date },
  input: {
    organizationId: string;
    customerId: string;
    invoiceIds: string[];
    method: 'card' | 'direct_debit';
    successUrl: string;
    cancelUrl: string;
  },
) => Promise<{ attemptId: string; redirectUrl: string }>;

export interface DebtorPaymentDeps {
  db: Db;
  portalBaseUrl: string;
  startPayment: StartPaymentFn;
  now?: () => Date;
}

/**
 * Starts a card or direct-debit payment of some of the debtor's open invoices (or its whole overdue
 * balance) and returns where to send the browser. The provider sends the debtor back to the portal's
 * payment page for the attempt.
 */
export async function startDebtorPayment(
  deps: DebtorPaymentDeps,
  input: { organizationId: string; customerId: string; payment: unknown },
): Promise<{ attemptId: string; redirectUrl: string }> {
  const now = deps.now?.() ?? new Date();
  const parsed = DebtorPaymentSchema.safeParse(input.payment);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
    throw new AppError('VALIDATION', 'invalid payment request', { details });
  }
  const { organizationId, customerId } = input;
  const customer = await getCustomer(deps.db, organizationId, customerId);
  if (!customer) throw new AppError('NOT_FOUND', `customer ${customerId} not found`);
  let invoices: Invoice[];
  if (parsed.data.scope === 'overdue') {
    const today = localDateOf(now.getTime(), customer.time_zone);
    invoices = (await listCustomerInvoices(deps.db, organizationId, customerId)).filter(
      (i) => isPayableInPortal(i) && daysOverdue(i.due_date, today) > 0,
    );
    if (invoices.length === 0) {
      throw new AppError('VALIDATION', 'nothing overdue', {
        details: [{ field: 'scope', message: 'no invoice is overdue' }],
      });
    }
  } else {
    const ids = [...new Set(parsed.data.invoiceIds)];
    if (ids.length === 0) {
      throw new AppError('VALIDATION', 'no invoice chosen', {
        details: [{ field: 'invoiceIds', message: 'choose at least one invoice' }],
      });
    }
    invoices = ids.every(isUuid)
      ? await listCustomerInvoicesByIds(deps.db, organizationId, customerId, ids)
      : [];
    if (invoices.length !== ids.length) {
      throw new AppError('NOT_FOUND', "an invoice is not this customer's", {
        userMessage: 'Invoice not found.',
      });
    }
    const unpayable = invoices.find((i) => !isPayableInPortal(i));
    if (unpayable) {
      throw new AppError('CONFLICT', `invoice ${unpayable.number} is not payable now`, {
        userMessage: unpayable.payment_pending
          ? `A payment for invoice ${unpayable.number} is already on its way.`
          : `Invoice ${unpayable.number} is no longer open.`,
      });
    }
  }
  const currencies = new Set(invoices.map((i) => i.currency));
  if (currencies.size > 1) {
    throw new AppError('VALIDATION', 'invoices in several currencies', {
      details: [{ field: 'invoiceIds', message: 'choose invoices in one currency' }],
    });
  }
  await assertDebtorRateLimit(deps.db, { organizationId, customerId, kind: 'payment_start', now });
  const base = deps.portalBaseUrl.replace(/\/$/, '');
  const result = await deps.startPayment(
    { db: deps.db, portalBaseUrl: deps.portalBaseUrl, now: () => now },
    {
      organizationId,
      customerId,
      invoiceIds: invoices.map((i) => i.id),
      method: parsed.data.method,
      successUrl: `${base}/p/payments/{ATTEMPT_ID}`,
      cancelUrl: `${base}/p/pay`,
    },
  );
  return { attemptId: result.attemptId, redirectUrl: result.redirectUrl };
}
