import type { Db } from '@settle/db';

/** How a debtor pays: card through Stripe Checkout, direct debit through a GoCardless Billing Request. */
export type PaymentMethod = 'card' | 'direct_debit';

export interface StartPaymentInput {
  organizationId: string;
  customerId: string;
  /** One invoice, several, or all overdue ones of this customer; all must be open and in one currency. */
  invoiceIds: string[];
  method: PaymentMethod;
  /** Where the provider sends the debtor back; `{ATTEMPT_ID}` is replaced by the attempt's id. */
  successUrl: string;
  cancelUrl: string;
}

export interface StartPaymentResult {
  attemptId: string;
  /** Stripe Checkout, the GoCardless flow, or the portal's local test checkout page. */
  redirectUrl: string;
  mode: 'stripe' | 'gocardless' | 'local';
}

export interface PaymentSessionDeps {
  db: Db;
  portalBaseUrl: string;
  now?: () => Date;
}

/**
 * Starts a payment for a customer's invoices: records a payment attempt, then creates the provider's
 * hosted page (or points at the local test checkout when the provider has no keys).
 * Placeholder: implemented in the payments pipeline change (#4).
 */
export async function startPayment(
  _deps: PaymentSessionDeps,
  _input: StartPaymentInput,
): Promise<StartPaymentResult> {
  throw new Error('startPayment: not implemented yet');
}
