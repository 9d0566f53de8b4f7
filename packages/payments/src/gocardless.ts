import { createHmac } from 'node:crypto';
import type { PaymentEventCommand } from '@settle/core';
import { GoCardlessClient } from 'gocardless-nodejs/client';
import { Environments } from 'gocardless-nodejs/constants';
import { parse as parseGoCardlessWebhook } from 'gocardless-nodejs/webhooks';
import { z } from 'zod';
import { WebhookSignatureError } from './stripe';

/**
 * GoCardless behind an interface: the SDK has no base-URL option, so tests and local mode stand in a
 * different implementation here rather than at HTTP. Production uses {@link createGoCardlessGateway}.
 */
export interface GoCardlessGateway {
  /** A Billing Request (mandate + payment) and its hosted flow; returns where to send the debtor. */
  createBillingRequestFlow(input: {
    idempotencyKey: string;
    amountMinor: number;
    currency: string;
    description: string;
    metadata: Record<string, string>;
    redirectUri: string;
    exitUri: string;
    customer: { email: string | null; companyName: string; language: string };
  }): Promise<{ billingRequestId: string; authorisationUrl: string }>;
  /** Events created after `since`, oldest first, every page. */
  listEventsSince(since: Date): Promise<GoCardlessEvent[]>;
}

export function createGoCardlessGateway(settings: {
  accessToken: string;
  environment: 'sandbox' | 'live';
}): GoCardlessGateway {
  const client = new GoCardlessClient(
    settings.accessToken,
    settings.environment === 'live' ? Environments.Live : Environments.Sandbox,
  );
  return {
    async createBillingRequestFlow(input) {
      const request = await client.billingRequests.create(
        {
          payment_request: {
            amount: input.amountMinor,
            currency: input.currency as never,
            description: input.description,
            metadata: input.metadata,
          },
          mandate_request: { currency: input.currency, metadata: input.metadata },
          metadata: input.metadata,
        },
        `${input.idempotencyKey}/billing-request`,
      );
      if (!request.id) throw new Error('GoCardless returned a billing request without an id');
      const flow = await client.billingRequestFlows.create({
        links: { billing_request: request.id },
        redirect_uri: input.redirectUri,
        exit_uri: input.exitUri,
        language: input.customer.language,
        prefilled_customer: {
          company_name: input.customer.companyName,
          ...(input.customer.email ? { email: input.customer.email } : {}),
        },
      });
      if (!flow.authorisation_url) throw new Error('GoCardless returned a flow without an authorisation URL');
      return { billingRequestId: request.id, authorisationUrl: flow.authorisation_url };
    },
    async listEventsSince(since) {
      const events: GoCardlessEvent[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await client.events.list({
          created_at: { gt: since.toISOString() },
          limit: 500,
          ...(after ? { after } : {}),
        });
        for (const event of page.events ?? []) events.push(GoCardlessEventSchema.parse(event));
        after = page.meta?.cursors?.after ?? undefined;
        if (!after) break;
      }
      return events.sort((a, b) => a.created_at.localeCompare(b.created_at));
    },
  };
}

export const GoCardlessEventSchema = z.object({
  id: z.string().min(1),
  created_at: z.string(),
  resource_type: z.string(),
  action: z.string(),
  details: z
    .object({ cause: z.string().nullish(), description: z.string().nullish() })
    .passthrough()
    .nullish(),
  links: z.record(z.string(), z.string()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

export type GoCardlessEvent = z.infer<typeof GoCardlessEventSchema>;

/**
 * Verifies `Webhook-Signature` over the raw body with the SDK and returns its events (a body may
 * carry many).
 */
export function verifyGoCardlessWebhook(
  rawBody: string,
  signature: string | undefined,
  secret: string,
): GoCardlessEvent[] {
  if (!signature) throw new WebhookSignatureError('missing Webhook-Signature header');
  let events: unknown;
  try {
    events = parseGoCardlessWebhook(rawBody, secret, signature);
  } catch {
    throw new WebhookSignatureError('Webhook-Signature does not match the body');
  }
  return z.array(GoCardlessEventSchema).parse(events);
}

/** `Webhook-Signature` for a body: what GoCardless sends (HMAC-SHA256, hex). For tests and local mode. */
export function signGoCardlessPayload(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** The GoCardless events Settle acts on, as `resource_type.action`. */
const HANDLED = new Set([
  'billing_requests.fulfilled',
  'payments.submitted',
  'payments.confirmed',
  'payments.paid_out',
  'payments.failed',
  'payments.cancelled',
  'payments.charged_back',
  'payments.late_failure_settled',
  'mandates.active',
  'mandates.submitted',
  'mandates.cancelled',
  'mandates.failed',
  'mandates.expired',
  'mandates.reinstated',
  'mandates.blocked',
]);

export function isHandledGoCardlessEvent(event: GoCardlessEvent): boolean {
  return HANDLED.has(`${event.resource_type}.${event.action}`);
}

function reasonOf(event: GoCardlessEvent): string {
  return event.details?.description ?? event.details?.cause ?? event.action;
}

/** Turns one GoCardless event into payment commands. */
export function goCardlessEventCommands(event: GoCardlessEvent): PaymentEventCommand[] {
  const links = event.links ?? {};
  const at = new Date(event.created_at);
  const payment = links.payment;
  switch (`${event.resource_type}.${event.action}`) {
    case 'billing_requests.fulfilled': {
      const paymentId = links.payment_request_payment;
      if (!links.billing_request || !paymentId) return [];
      // The Billing Request created a mandate and a payment: the payment is now in collection.
      return [
        {
          kind: 'pending',
          provider: 'gocardless',
          providerPaymentId: paymentId,
          attempt: { providerReference: links.billing_request },
          method: 'direct_debit',
          at,
          mandate: {
            customerReference: links.customer ?? null,
            mandateId: links.mandate_request_mandate ?? null,
          },
        },
      ];
    }
    case 'payments.submitted':
      return payment
        ? [
            {
              kind: 'pending',
              provider: 'gocardless',
              providerPaymentId: payment,
              attempt: null,
              method: 'direct_debit',
              at,
            },
          ]
        : [];
    case 'payments.confirmed':
      return payment
        ? [
            {
              kind: 'succeeded',
              provider: 'gocardless',
              providerPaymentId: payment,
              attempt: null,
              method: 'direct_debit',
              at,
            },
          ]
        : [];
    case 'payments.paid_out':
      return payment ? [{ kind: 'settled', provider: 'gocardless', providerPaymentId: payment }] : [];
    case 'payments.failed':
    case 'payments.cancelled':
      return payment
        ? [
            {
              kind: 'failed',
              provider: 'gocardless',
              providerPaymentId: payment,
              status: event.action === 'cancelled' ? 'cancelled' : 'failed',
              reason: reasonOf(event),
            },
          ]
        : [];
    case 'payments.charged_back':
    case 'payments.late_failure_settled':
      return payment
        ? [
            {
              kind: 'reversed',
              provider: 'gocardless',
              providerPaymentId: payment,
              status: 'charged_back',
              totalReversedMinor: null,
              reason: reasonOf(event),
            },
          ]
        : [];
    default:
      if (event.resource_type === 'mandates' && links.mandate) {
        return [{ kind: 'mandate', mandateId: links.mandate, status: event.action }];
      }
      return [];
  }
}
