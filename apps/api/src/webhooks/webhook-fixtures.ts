import { randomUUID } from 'node:crypto';
import { loadConfig, paymentsEnv } from '@settle/config';
import { signGoCardlessPayload, signStripePayload } from '@settle/payments';

/** Test helpers: provider-shaped webhook bodies signed with the local secrets, as the providers sign them. */
export const secrets = (() => {
  const defaults = loadConfig(paymentsEnv, {});
  return { stripe: defaults.STRIPE_WEBHOOK_SECRET, gocardless: defaults.GOCARDLESS_WEBHOOK_SECRET };
})();

export function stripeEventBody(type: string, object: Record<string, unknown>): { id: string; body: string } {
  const id = `evt_${randomUUID().replaceAll('-', '')}`;
  const body = JSON.stringify({
    id,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  return { id, body };
}

export function stripeHeaders(body: string, options: { secret?: string; timestamp?: number } = {}) {
  return {
    'content-type': 'application/json',
    'stripe-signature': signStripePayload(body, options.secret ?? secrets.stripe, options.timestamp),
  };
}

export function goCardlessBody(
  events: { resource_type: string; action: string; links: Record<string, string> }[],
) {
  const full = events.map((event) => ({
    id: `EV${randomUUID().replaceAll('-', '').slice(0, 14).toUpperCase()}`,
    created_at: new Date().toISOString(),
    details: { origin: 'bank', cause: event.action },
    metadata: {},
    ...event,
  }));
  return { ids: full.map((e) => e.id), body: JSON.stringify({ events: full, meta: { webhook_id: 'WB1' } }) };
}

export function goCardlessHeaders(body: string, secret = secrets.gocardless) {
  return { 'content-type': 'application/json', 'webhook-signature': signGoCardlessPayload(body, secret) };
}
