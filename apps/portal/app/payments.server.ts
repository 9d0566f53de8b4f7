import { AppError, type StartPaymentFn } from '@settle/core';
import { createGoCardlessGateway, createStripeClient, startPayment } from '@settle/payments';
import { db } from './db.server';
import { env } from './env.server';

/** Provider clients from the environment; either is null without keys (local test checkout then). */
const stripe = createStripeClient({ secretKey: env.STRIPE_SECRET_KEY, apiBaseUrl: env.STRIPE_API_BASE_URL });
const gocardless = env.GOCARDLESS_ACCESS_TOKEN
  ? createGoCardlessGateway({
      accessToken: env.GOCARDLESS_ACCESS_TOKEN,
      environment: env.GOCARDLESS_ENVIRONMENT,
    })
  : null;

/**
 * The local test checkout marks invoices paid without money changing hands: it exists for local use
 * only. A portal served over HTTPS (a real deployment) never offers it; a method without provider keys
 * is then unavailable instead.
 */
export const isLocalCheckoutEnabled = new URL(env.PORTAL_BASE_URL).protocol !== 'https:';

/** `startPayment` bound to this deployment's providers. */
export const startConfiguredPayment: StartPaymentFn = async (deps, input) => {
  const configured = input.method === 'card' ? stripe : gocardless;
  if (!configured && !isLocalCheckoutEnabled) {
    throw new AppError('UNAVAILABLE', `no ${input.method} provider is configured`, {
      userMessage:
        'This payment method is not available. Please pay by bank transfer using the details shown.',
    });
  }
  return startPayment({ ...deps, stripe, gocardless }, input);
};

/** Where and how the local test checkout delivers its signed webhook. */
export const localCheckoutDeps = {
  db,
  apiBaseUrl: env.API_BASE_URL,
  stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET,
  goCardlessWebhookSecret: env.GOCARDLESS_WEBHOOK_SECRET,
};
