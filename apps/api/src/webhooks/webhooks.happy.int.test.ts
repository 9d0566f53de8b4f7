import { paymentEventWorkflowId } from '@settle/workflows';
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

describe('POST /webhooks/stripe', () => {
  it('stores a signed event once, starts payment-stripe-<id> and acknowledges', async () => {
    const { id, body } = stripeEventBody('checkout.session.completed', {
      id: 'cs_test_1',
      payment_status: 'paid',
      payment_intent: 'pi_1',
      amount_total: 1000,
      currency: 'eur',
      metadata: { settle_attempt_id: '00000000-0000-4000-8000-000000000000' },
    });
    const response = await post('/webhooks/stripe', body, stripeHeaders(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'accepted' });
    const stored = await api.db.selectFrom('webhook_events').selectAll().where('event_id', '=', id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ provider: 'stripe', type: 'checkout.session.completed' });
    const description = await api.temporal.workflow
      .getHandle(paymentEventWorkflowId('stripe', id))
      .describe();
    expect(description.type).toBe('paymentEventWorkflow');

    const again = await post('/webhooks/stripe', body, stripeHeaders(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, outcome: 'duplicate' });
    const after = await api.db.selectFrom('webhook_events').select('id').where('event_id', '=', id).execute();
    expect(after).toHaveLength(1);
  });

  it('acknowledges an event type Settle does not handle without storing it', async () => {
    const { id, body } = stripeEventBody('customer.created', { id: 'cus_1' });
    const response = await post('/webhooks/stripe', body, stripeHeaders(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, ignored: 'customer.created' });
    const stored = await api.db
      .selectFrom('webhook_events')
      .select('id')
      .where('event_id', '=', id)
      .execute();
    expect(stored).toHaveLength(0);
  });
});

describe('POST /webhooks/gocardless', () => {
  it('stores each handled event of a body and starts one workflow per event', async () => {
    const { ids, body } = goCardlessBody([
      { resource_type: 'payments', action: 'confirmed', links: { payment: 'PM1' } },
      { resource_type: 'payments', action: 'charged_back', links: { payment: 'PM1' } },
      { resource_type: 'creditors', action: 'updated', links: { creditor: 'CR1' } },
    ]);
    const response = await post('/webhooks/gocardless', body, goCardlessHeaders(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 2, accepted: 2 });
    for (const id of ids.slice(0, 2)) {
      const description = await api.temporal.workflow
        .getHandle(paymentEventWorkflowId('gocardless', id))
        .describe();
      expect(description.type).toBe('paymentEventWorkflow');
    }
    const stored = await api.db
      .selectFrom('webhook_events')
      .select('event_id')
      .where('provider', '=', 'gocardless')
      .execute();
    expect(stored.map((row) => row.event_id).sort()).toEqual(ids.slice(0, 2).sort());
  });

  it('answers 204 to a body of events Settle does not handle', async () => {
    const { body } = goCardlessBody([{ resource_type: 'payouts', action: 'paid', links: { payout: 'PO1' } }]);
    const response = await post('/webhooks/gocardless', body, goCardlessHeaders(body));
    expect(response.status).toBe(204);
  });
});
