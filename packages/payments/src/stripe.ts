import type { PaymentEventCommand } from '@settle/core';
import Stripe from 'stripe';
import { z } from 'zod';

/** The Stripe events Settle acts on; any other type is acknowledged and ignored. */
export const STRIPE_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'charge.refunded',
  'charge.dispute.created',
] as const;

export type StripeEventType = (typeof STRIPE_EVENT_TYPES)[number];

export function isHandledStripeEvent(type: string): type is StripeEventType {
  return (STRIPE_EVENT_TYPES as readonly string[]).includes(type);
}

/** The Stripe SDK client, named so other packages need not depend on `stripe` for the type. */
export type StripeClient = Stripe;

export interface StripeSettings {
  secretKey?: string | undefined;
  /** An API host other than Stripe's (stripe-mock in tests). */
  apiBaseUrl?: string | undefined;
}

/** A Stripe client for the secret key (or a placeholder key against stripe-mock), null without either. */
export function createStripeClient(settings: StripeSettings): Stripe | null {
  if (!settings.secretKey && !settings.apiBaseUrl) return null;
  if (!settings.apiBaseUrl) return new Stripe(settings.secretKey ?? '', { maxNetworkRetries: 2 });
  const url = new URL(settings.apiBaseUrl);
  return new Stripe(settings.secretKey ?? 'sk_test_stripemock', {
    host: url.hostname,
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 2,
  });
}

// Signature checks need no account: the SDK's webhook helpers are offline.
const offline = new Stripe('sk_test_settle_offline_webhooks_only');

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

export interface VerifiedStripeEvent {
  id: string;
  type: string;
  payload: unknown;
}

/** Verifies `Stripe-Signature` on the raw body (and its timestamp's freshness) with the Stripe SDK. */
export function verifyStripeWebhook(
  rawBody: string,
  signature: string | undefined,
  secret: string,
): VerifiedStripeEvent {
  if (!signature) throw new WebhookSignatureError('missing Stripe-Signature header');
  try {
    const event = offline.webhooks.constructEvent(rawBody, signature, secret);
    return { id: event.id, type: event.type, payload: JSON.parse(rawBody) };
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : 'bad signature');
  }
}

/** A `Stripe-Signature` header for a body, made by the SDK's own helper (local checkout and tests). */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return offline.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

const MetadataSchema = z.record(z.string(), z.string()).nullish();

const CheckoutSessionSchema = z.object({
  id: z.string(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  payment_intent: z.string().nullish(),
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  metadata: MetadataSchema,
  payment_method_types: z.array(z.string()).nullish(),
});

const ChargeSchema = z.object({
  id: z.string(),
  payment_intent: z.string().nullish(),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
});

const DisputeSchema = z.object({
  id: z.string(),
  charge: z.string(),
  payment_intent: z.string().nullish(),
  amount: z.number().int(),
  reason: z.string().nullish(),
});

const EventSchema = z.object({
  id: z.string(),
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.unknown() }),
});

/** The attempt a checkout session belongs to: our id in metadata, else the session id we stored. */
function attemptOf(session: z.infer<typeof CheckoutSessionSchema>) {
  const id = session.metadata?.settle_attempt_id ?? session.client_reference_id;
  return id ? { id } : { providerReference: session.id };
}

function methodOf(session: z.infer<typeof CheckoutSessionSchema>): 'card' | 'direct_debit' {
  return session.payment_method_types?.some((t) => t.endsWith('_debit')) ? 'direct_debit' : 'card';
}

/**
 * Turns a verified Stripe event into payment commands. Shapes are zod-parsed: a malformed object is an
 * error for the caller to record, never a silent paid invoice.
 */
export function stripeEventCommands(payload: unknown): PaymentEventCommand[] {
  const event = EventSchema.parse(payload);
  const at = new Date(event.created * 1000);
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = CheckoutSessionSchema.parse(event.data.object);
      const providerPaymentId = session.payment_intent ?? session.id;
      if (session.payment_status === 'no_payment_required') return [];
      if (session.payment_status === 'unpaid') {
        // Paid only when payment_status is `paid`; an async method (a bank debit) is pending until then.
        return [
          {
            kind: 'pending',
            provider: 'stripe',
            providerPaymentId,
            attempt: attemptOf(session),
            method: methodOf(session),
            at,
          },
        ];
      }
      return [
        {
          kind: 'succeeded',
          provider: 'stripe',
          providerPaymentId,
          attempt: attemptOf(session),
          ...(session.amount_total == null ? {} : { amountMinor: session.amount_total }),
          ...(session.currency ? { currency: session.currency.toUpperCase() } : {}),
          method: methodOf(session),
          at,
        },
      ];
    }
    case 'checkout.session.async_payment_failed': {
      const session = CheckoutSessionSchema.parse(event.data.object);
      const providerPaymentId = session.payment_intent ?? session.id;
      return [
        {
          kind: 'attempt_failed',
          provider: 'stripe',
          attempt: attemptOf(session),
          reason: 'async payment failed',
        },
        {
          kind: 'failed',
          provider: 'stripe',
          providerPaymentId,
          status: 'failed',
          reason: 'async payment failed',
        },
      ];
    }
    case 'charge.refunded': {
      const charge = ChargeSchema.parse(event.data.object);
      return [
        {
          kind: 'reversed',
          provider: 'stripe',
          providerPaymentId: charge.payment_intent ?? charge.id,
          status: 'refunded',
          totalReversedMinor: charge.amount_refunded,
          reason: 'refunded',
        },
      ];
    }
    case 'charge.dispute.created': {
      const dispute = DisputeSchema.parse(event.data.object);
      return [
        {
          kind: 'reversed',
          provider: 'stripe',
          providerPaymentId: dispute.payment_intent ?? dispute.charge,
          status: 'charged_back',
          totalReversedMinor: dispute.amount,
          reason: `card dispute${dispute.reason ? `: ${dispute.reason}` : ''}`,
        },
      ];
    }
    default:
      return [];
  }
}
