import { AppError } from '@settle/core';
import { type Db, getCustomer } from '@settle/db';
import { isUuid } from '@settle/domain';
import type Stripe from 'stripe';
import type { GoCardlessGateway } from './gocardless';

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
  /** Without a client (no keys), card payments go through the local test checkout. */
  stripe?: Stripe | null;
  /** Without a gateway (no token), direct debits go through the local test mandate page. */
  gocardless?: GoCardlessGateway | null;
}

/** The portal page that stands in for a provider's hosted page when it has no keys. */
export function localCheckoutUrl(portalBaseUrl: string, attemptId: string): string {
  return `${portalBaseUrl.replace(/\/$/, '')}/p/test-checkout/${attemptId}`;
}

/**
 * Starts a payment for a customer's invoices: records a payment attempt, then creates the provider's
 * hosted page (Stripe Checkout Session, GoCardless Billing Request + flow) carrying the attempt id in
 * its metadata, so the provider's events tie back to these invoices. Without keys, the attempt points
 * at the local test checkout.
 */
export async function startPayment(
  deps: PaymentSessionDeps,
  input: StartPaymentInput,
): Promise<StartPaymentResult> {
  const ids = [...new Set(input.invoiceIds)];
  if (ids.length === 0) {
    throw new AppError('VALIDATION', 'no invoice to pay', {
      details: [{ field: 'invoiceIds', message: 'choose at least one invoice' }],
    });
  }
  if (!ids.every(isUuid)) throw new AppError('NOT_FOUND', 'invoice not found');
  const customer = await getCustomer(deps.db, input.organizationId, input.customerId);
  if (!customer) throw new AppError('NOT_FOUND', `customer ${input.customerId} not found`);
  const invoices = await deps.db
    .selectFrom('invoices')
    .select(['id', 'number', 'currency', 'status', 'total_minor', 'paid_minor'])
    .where('organization_id', '=', input.organizationId)
    .where('customer_id', '=', input.customerId)
    .where('id', 'in', ids)
    .orderBy('due_date')
    .execute();
  if (invoices.length !== ids.length) {
    throw new AppError('NOT_FOUND', "an invoice is not this customer's", {
      userMessage: 'Invoice not found.',
    });
  }
  const closed = invoices.find((invoice) => invoice.status !== 'open');
  if (closed) {
    throw new AppError('CONFLICT', `invoice ${closed.number} is ${closed.status}`, {
      userMessage: `Invoice ${closed.number} is no longer open.`,
    });
  }
  const currencies = [...new Set(invoices.map((invoice) => invoice.currency))];
  const currency = currencies[0];
  if (!currency || currencies.length > 1) {
    throw new AppError('VALIDATION', 'invoices in several currencies', {
      details: [{ field: 'invoiceIds', message: 'choose invoices in one currency' }],
    });
  }
  const amountMinor = invoices.reduce((sum, invoice) => sum + invoice.total_minor - invoice.paid_minor, 0);
  if (amountMinor <= 0) throw new AppError('CONFLICT', 'nothing left to pay on these invoices');

  const stripe = input.method === 'card' ? (deps.stripe ?? null) : null;
  const gocardless = input.method === 'direct_debit' ? (deps.gocardless ?? null) : null;
  const mode: StartPaymentResult['mode'] = stripe ? 'stripe' : gocardless ? 'gocardless' : 'local';
  const attempt = await deps.db
    .insertInto('payment_attempts')
    .values({
      organization_id: input.organizationId,
      customer_id: input.customerId,
      provider: mode,
      kind: input.method === 'card' ? 'checkout_session' : 'billing_request',
      invoice_ids: invoices.map((invoice) => invoice.id),
      amount_minor: amountMinor,
      currency,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const successUrl = input.successUrl.replaceAll('{ATTEMPT_ID}', attempt.id);
  const cancelUrl = input.cancelUrl.replaceAll('{ATTEMPT_ID}', attempt.id);
  const metadata = { settle_attempt_id: attempt.id, settle_organization_id: input.organizationId };
  const description = `${invoices.length === 1 ? 'Invoice' : 'Invoices'} ${invoices.map((i) => i.number).join(', ')}`;
  const language = customer.locale.slice(0, 2);

  let providerReference: string;
  let redirectUrl: string;
  try {
    if (stripe) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: attempt.id,
          ...(customer.email ? { customer_email: customer.email } : {}),
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: currency.toLowerCase(),
                unit_amount: amountMinor,
                product_data: { name: description },
              },
            },
          ],
          metadata,
          payment_intent_data: { metadata, description },
          success_url: successUrl,
          cancel_url: cancelUrl,
          ...(['pl', 'de', 'en', 'fr'].includes(language)
            ? { locale: language as 'pl' | 'de' | 'en' | 'fr' }
            : {}),
        },
        { idempotencyKey: `settle-attempt-${attempt.id}` },
      );
      if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
      providerReference = session.id;
      redirectUrl = session.url;
    } else if (gocardless) {
      const flow = await gocardless.createBillingRequestFlow({
        idempotencyKey: `settle-attempt-${attempt.id}`,
        amountMinor,
        currency,
        description,
        metadata,
        redirectUri: successUrl,
        exitUri: cancelUrl,
        customer: { email: customer.email, companyName: customer.name, language },
      });
      providerReference = flow.billingRequestId;
      redirectUrl = flow.authorisationUrl;
    } else {
      providerReference = `local_${attempt.id}`;
      redirectUrl = localCheckoutUrl(deps.portalBaseUrl, attempt.id);
    }
  } catch (error) {
    await deps.db
      .updateTable('payment_attempts')
      .set({ status: 'failed', updated_at: deps.now?.() ?? new Date() })
      .where('id', '=', attempt.id)
      .execute();
    throw new AppError(
      'UNAVAILABLE',
      `payment provider call failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        userMessage: 'The payment provider is not reachable right now. Please try again in a few minutes.',
        cause: error,
      },
    );
  }
  await deps.db
    .updateTable('payment_attempts')
    .set({
      provider_reference: providerReference,
      redirect_url: redirectUrl,
      updated_at: deps.now?.() ?? new Date(),
    })
    .where('id', '=', attempt.id)
    .execute();
  return { attemptId: attempt.id, redirectUrl, mode };
}
