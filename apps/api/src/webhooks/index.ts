import { loadConfig, paymentsEnv } from '@settle/config';
import {
  acceptPaymentEvent,
  isHandledGoCardlessEvent,
  isHandledStripeEvent,
  verifyGoCardlessWebhook,
  verifyStripeWebhook,
  WebhookSignatureError,
} from '@settle/payments';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiDeps } from '../deps';
import type { ApiApp } from '../http/api-app';

/** Webhook signing secrets; the local defaults match what the local test checkout signs with. */
export interface WebhookSecrets {
  stripe: string;
  gocardless: string;
}

function localSecrets(): WebhookSecrets {
  const defaults = loadConfig(paymentsEnv, {});
  return { stripe: defaults.STRIPE_WEBHOOK_SECRET, gocardless: defaults.GOCARDLESS_WEBHOOK_SECRET };
}

// A plain Response: 498 is outside Hono's status type.
function problem(c: Context, status: 400 | 498 | 503, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message, requestId: c.get('requestId') } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/**
 * Provider webhooks: verify the signature on the raw body, store each event once and start its payment
 * event workflow, then acknowledge. If the database or Temporal cannot take the event, answer 503 so
 * the provider delivers it again: nothing acknowledged is ever lost.
 */
export function registerWebhooks(app: ApiApp, deps: ApiDeps): void {
  const secrets = deps.webhookSecrets ?? localSecrets();
  const accept = { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue };
  const limit = bodyLimit({
    maxSize: 1024 * 1024,
    onError: (c) => problem(c, 400, 'VALIDATION', 'webhook body is larger than 1 MiB'),
  });

  app.post('/webhooks/stripe', limit, async (c) => {
    const raw = await c.req.text();
    let event: ReturnType<typeof verifyStripeWebhook>;
    try {
      event = verifyStripeWebhook(raw, c.req.header('Stripe-Signature'), secrets.stripe);
    } catch (error) {
      if (error instanceof WebhookSignatureError) return problem(c, 400, 'INVALID_SIGNATURE', error.message);
      throw error;
    }
    if (!isHandledStripeEvent(event.type)) return c.json({ received: true, ignored: event.type }, 200);
    try {
      const result = await acceptPaymentEvent(accept, {
        provider: 'stripe',
        eventId: event.id,
        type: event.type,
        payload: event.payload,
      });
      return c.json({ received: true, outcome: result.outcome }, 200);
    } catch (error) {
      deps.logger.error({ err: error, eventId: event.id }, 'stripe event not accepted; Stripe will retry');
      return problem(c, 503, 'UNAVAILABLE', 'event not stored; please retry');
    }
  });

  app.post('/webhooks/gocardless', limit, async (c) => {
    const raw = await c.req.text();
    let events: ReturnType<typeof verifyGoCardlessWebhook>;
    try {
      events = verifyGoCardlessWebhook(raw, c.req.header('Webhook-Signature'), secrets.gocardless);
    } catch (error) {
      // GoCardless documents 498 (invalid token) for a signature that does not match.
      if (error instanceof WebhookSignatureError) return problem(c, 498, 'INVALID_SIGNATURE', error.message);
      return problem(c, 400, 'VALIDATION', 'body is not a GoCardless webhook');
    }
    const handled = events.filter(isHandledGoCardlessEvent);
    if (handled.length === 0) return c.body(null, 204);
    try {
      let accepted = 0;
      for (const event of handled) {
        const result = await acceptPaymentEvent(accept, {
          provider: 'gocardless',
          eventId: event.id,
          type: `${event.resource_type}.${event.action}`,
          payload: event,
        });
        if (result.outcome === 'accepted') accepted++;
      }
      return c.json({ received: handled.length, accepted }, 200);
    } catch (error) {
      deps.logger.error({ err: error }, 'gocardless events not accepted; GoCardless will retry');
      return problem(c, 503, 'UNAVAILABLE', 'events not stored; please retry');
    }
  });
}
