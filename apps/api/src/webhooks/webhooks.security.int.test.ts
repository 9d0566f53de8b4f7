import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../testing/api-harness';
import { goCardlessBody, goCardlessHeaders, stripeEventBody, stripeHeaders } from './webhook-fixtures';

let api: ApiHarness;
beforeAll(async () => {
  api = await createApiHarness();
});
afterAll(async () => {
  await api?.close();
});

async function post(path: string, body: string, headers: Record<string, string>) {
  return api.app.request(path, { method: 'POST', body, headers });
}

async function storedEvents(): Promise<number> {
  const rows = await api.db.selectFrom('webhook_events').select('id').execute();
  return rows.length;
}

const paid = () =>
  stripeEventBody('checkout.session.completed', {
    id: 'cs_x',
    payment_status: 'paid',
    payment_intent: 'pi_x',
  });

describe('webhook signatures', () => {
  it('Stripe: a body signed with another secret is refused with 400 and nothing is stored', async () => {
    const { body } = paid();
    const response = await post(
      '/webhooks/stripe',
      body,
      stripeHeaders(body, { secret: 'whsec_someone_else' }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('INVALID_SIGNATURE');
    expect(await storedEvents()).toBe(0);
  });

  it('Stripe: a stale signature (timestamp an hour old) is refused', async () => {
    const { body } = paid();
    const old = Math.floor(Date.now() / 1000) - 3600;
    const response = await post('/webhooks/stripe', body, stripeHeaders(body, { timestamp: old }));
    expect(response.status).toBe(400);
    expect(await storedEvents()).toBe(0);
  });

  it('Stripe: a body changed after signing (the signature is over the raw bytes) is refused', async () => {
    const { body } = paid();
    const headers = stripeHeaders(body);
    const tampered = body.replace('"paid"', '"paid" ');
    const response = await post('/webhooks/stripe', tampered, headers);
    expect(response.status).toBe(400);
    expect(await storedEvents()).toBe(0);
  });

  it('Stripe: a request without Stripe-Signature is refused', async () => {
    const { body } = paid();
    const response = await post('/webhooks/stripe', body, { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/Stripe-Signature/);
  });

  it('GoCardless: a bad Webhook-Signature gets 498 and nothing is stored', async () => {
    const { body } = goCardlessBody([
      { resource_type: 'payments', action: 'confirmed', links: { payment: 'PM9' } },
    ]);
    const response = await post('/webhooks/gocardless', body, goCardlessHeaders(body, 'another_secret'));
    expect(response.status).toBe(498);
    expect(await storedEvents()).toBe(0);
    const missing = await post('/webhooks/gocardless', body, { 'content-type': 'application/json' });
    expect(missing.status).toBe(498);
  });

  it('webhooks need no API key, and an API key does not stand in for a signature', async () => {
    const { body } = paid();
    const response = await post('/webhooks/stripe', body, {
      'content-type': 'application/json',
      authorization: `Bearer ${api.tenant.apiKey}`,
    });
    expect(response.status).toBe(400);
  });
});
