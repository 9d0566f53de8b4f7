import { randomBytes } from 'node:crypto';
import { AppError } from '@settle/core';
import type { Db } from '@settle/db';
import { isUuid } from '@settle/domain';
import { signGoCardlessPayload } from './gocardless';
import { signStripePayload } from './stripe';

/**
 * The local test checkout: without provider keys, the portal shows a clearly marked test page in place
 * of Stripe Checkout or the GoCardless flow. Completing it delivers a correctly signed webhook with the
 * provider's real event shape to the API, so the payment path is the same code in every mode.
 */

export type LocalCheckoutAction =
  /** Card: the test card is charged. */
  | 'pay'
  /** Direct debit: the mandate is authorised and the payment submitted (pending). */
  | 'authorise'
  /** Direct debit: the bank confirms the collection. */
  | 'confirm'
  /** Direct debit: the collection fails. */
  | 'fail';

export interface LocalCheckoutDeps {
  db: Db;
  apiBaseUrl: string;
  stripeWebhookSecret: string;
  goCardlessWebhookSecret: string;
  fetch?: typeof fetch;
}

export interface LocalAttempt {
  id: string;
  kind: 'checkout_session' | 'billing_request';
  status: 'open' | 'completed' | 'expired' | 'failed';
  amountMinor: number;
  currency: string;
  invoiceIds: string[];
  providerReference: string;
}

/** A local attempt of this customer; anything else (another customer's, a real provider's) is NOT_FOUND. */
export async function getLocalAttempt(
  db: Db,
  input: { organizationId: string; customerId: string; attemptId: string },
): Promise<LocalAttempt> {
  const row = isUuid(input.attemptId)
    ? await db
        .selectFrom('payment_attempts')
        .selectAll()
        .where('id', '=', input.attemptId)
        .where('organization_id', '=', input.organizationId)
        .where('customer_id', '=', input.customerId)
        .where('provider', '=', 'local')
        .executeTakeFirst()
    : undefined;
  if (!row?.provider_reference)
    throw new AppError('NOT_FOUND', `local payment attempt ${input.attemptId} not found`);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    amountMinor: row.amount_minor,
    currency: row.currency,
    invoiceIds: row.invoice_ids,
    providerReference: row.provider_reference,
  };
}

function compactId(attemptId: string): string {
  return attemptId.replaceAll('-', '');
}

/** The provider-shaped webhook body and headers a local checkout action produces. */
export function buildLocalWebhook(
  attempt: LocalAttempt & { organizationId: string },
  action: LocalCheckoutAction,
  secrets: { stripe: string; gocardless: string },
  now: Date,
): { path: string; body: string; headers: Record<string, string> } {
  const eventId = randomBytes(12).toString('hex');
  const created = Math.floor(now.getTime() / 1000);
  if (attempt.kind === 'checkout_session') {
    if (action !== 'pay') throw new AppError('VALIDATION', `a card checkout cannot ${action}`);
    const body = JSON.stringify({
      id: `evt_local_${eventId}`,
      object: 'event',
      api_version: '2025-01-27.acacia',
      created,
      livemode: false,
      type: 'checkout.session.completed',
      data: {
        object: {
          id: attempt.providerReference,
          object: 'checkout.session',
          mode: 'payment',
          status: 'complete',
          payment_status: 'paid',
          payment_intent: `pi_local_${compactId(attempt.id)}`,
          amount_total: attempt.amountMinor,
          currency: attempt.currency.toLowerCase(),
          client_reference_id: attempt.id,
          metadata: { settle_attempt_id: attempt.id, settle_organization_id: attempt.organizationId },
          payment_method_types: ['card'],
        },
      },
    });
    return {
      path: '/webhooks/stripe',
      body,
      headers: { 'Stripe-Signature': signStripePayload(body, secrets.stripe) },
    };
  }
  const payment = `PMlocal${compactId(attempt.id)}`;
  const event = (
    resource_type: string,
    eventAction: string,
    links: Record<string, string>,
    details = {},
  ) => ({
    id: `EVlocal${eventId}${resource_type.slice(0, 2)}`,
    created_at: now.toISOString(),
    resource_type,
    action: eventAction,
    details: { origin: 'gocardless', ...details },
    metadata: {},
    links,
  });
  const events =
    action === 'authorise'
      ? [
          event('billing_requests', 'fulfilled', {
            billing_request: attempt.providerReference,
            payment_request_payment: payment,
            mandate_request_mandate: `MDlocal${compactId(attempt.id)}`,
            customer: `CUlocal${compactId(attempt.id)}`,
          }),
        ]
      : action === 'confirm'
        ? [event('payments', 'confirmed', { payment })]
        : action === 'fail'
          ? [
              event(
                'payments',
                'failed',
                { payment },
                { cause: 'insufficient_funds', description: 'Test: insufficient funds' },
              ),
            ]
          : [];
  if (events.length === 0) throw new AppError('VALIDATION', `a direct debit cannot ${action}`);
  const body = JSON.stringify({ events, meta: { webhook_id: `WBlocal${eventId}` } });
  return {
    path: '/webhooks/gocardless',
    body,
    headers: { 'Webhook-Signature': signGoCardlessPayload(body, secrets.gocardless) },
  };
}

/** Performs a local checkout action: delivers the signed webhook to the API and waits for its answer. */
export async function completeLocalCheckout(
  deps: LocalCheckoutDeps,
  input: {
    organizationId: string;
    customerId: string;
    attemptId: string;
    action: LocalCheckoutAction;
    now?: Date;
  },
): Promise<void> {
  const attempt = await getLocalAttempt(deps.db, input);
  const webhook = buildLocalWebhook(
    { ...attempt, organizationId: input.organizationId },
    input.action,
    { stripe: deps.stripeWebhookSecret, gocardless: deps.goCardlessWebhookSecret },
    input.now ?? new Date(),
  );
  const response = await (deps.fetch ?? fetch)(`${deps.apiBaseUrl.replace(/\/$/, '')}${webhook.path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...webhook.headers },
    body: webhook.body,
  }).catch((error: unknown) => {
    throw new AppError('UNAVAILABLE', `local webhook delivery failed: ${String(error)}`, {
      userMessage: 'The payment could not be confirmed right now. Please try again.',
    });
  });
  if (!response.ok) {
    throw new AppError('UNAVAILABLE', `local webhook answered ${response.status}`, {
      userMessage: 'The payment could not be confirmed right now. Please try again.',
    });
  }
}
