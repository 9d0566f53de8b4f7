import { describe, expect, it } from 'vitest';
import { signGoCardlessPayload, verifyGoCardlessWebhook } from './gocardless';
import { paymentEventCommands } from './provider-events';
import { signStripePayload, verifyStripeWebhook, WebhookSignatureError } from './stripe';

const session = {
  id: 'cs_1',
  payment_status: 'paid',
  payment_intent: 'pi_1',
  amount_total: 12_345,
  currency: 'pln',
  metadata: { settle_attempt_id: 'a1' },
};
const stripeEvent = (type: string, object: unknown) => ({
  id: 'evt_1',
  type,
  created: 1_700_000_000,
  data: { object },
});

describe('Stripe events to payment commands', () => {
  it('checkout.session.completed counts as paid only when payment_status is paid', () => {
    expect(paymentEventCommands('stripe', stripeEvent('checkout.session.completed', session))).toEqual([
      {
        kind: 'succeeded',
        provider: 'stripe',
        providerPaymentId: 'pi_1',
        attempt: { id: 'a1' },
        amountMinor: 12_345,
        currency: 'PLN',
        method: 'card',
        at: new Date(1_700_000_000_000),
      },
    ]);
    const unpaid = paymentEventCommands(
      'stripe',
      stripeEvent('checkout.session.completed', { ...session, payment_status: 'unpaid' }),
    );
    expect(unpaid.map((c) => c.kind)).toEqual(['pending']);
    expect(
      paymentEventCommands(
        'stripe',
        stripeEvent('checkout.session.completed', { ...session, payment_status: 'no_payment_required' }),
      ),
    ).toEqual([]);
  });

  it('a refund carries the cumulative refunded amount; a card dispute takes back the disputed amount', () => {
    const refund = paymentEventCommands(
      'stripe',
      stripeEvent('charge.refunded', {
        id: 'ch_1',
        payment_intent: 'pi_1',
        amount: 100,
        amount_refunded: 40,
      }),
    );
    expect(refund).toMatchObject([
      { kind: 'reversed', providerPaymentId: 'pi_1', status: 'refunded', totalReversedMinor: 40 },
    ]);
    const dispute = paymentEventCommands(
      'stripe',
      stripeEvent('charge.dispute.created', {
        id: 'dp_1',
        charge: 'ch_1',
        payment_intent: 'pi_1',
        amount: 100,
      }),
    );
    expect(dispute).toMatchObject([{ kind: 'reversed', status: 'charged_back', totalReversedMinor: 100 }]);
  });

  it('a malformed object is an error, never a paid invoice', () => {
    expect(() =>
      paymentEventCommands('stripe', stripeEvent('checkout.session.completed', { id: 'cs_1' })),
    ).toThrow();
  });
});

describe('GoCardless events to payment commands', () => {
  const event = (resource_type: string, action: string, links: Record<string, string>) => ({
    id: 'EV1',
    created_at: '2026-11-01T10:00:00.000Z',
    resource_type,
    action,
    links,
  });

  it('maps the payment lifecycle', () => {
    const kinds = (action: string) =>
      paymentEventCommands('gocardless', event('payments', action, { payment: 'PM1' })).map((c) => c.kind);
    expect(kinds('submitted')).toEqual(['pending']);
    expect(kinds('confirmed')).toEqual(['succeeded']);
    expect(kinds('paid_out')).toEqual(['settled']);
    expect(kinds('failed')).toEqual(['failed']);
    expect(kinds('cancelled')).toEqual(['failed']);
    expect(kinds('charged_back')).toEqual(['reversed']);
    expect(kinds('created')).toEqual([]);
  });

  it('a fulfilled billing request ties the payment to the attempt and records the mandate', () => {
    const commands = paymentEventCommands(
      'gocardless',
      event('billing_requests', 'fulfilled', {
        billing_request: 'BRQ1',
        payment_request_payment: 'PM1',
        mandate_request_mandate: 'MD1',
        customer: 'CU1',
      }),
    );
    expect(commands).toMatchObject([
      {
        kind: 'pending',
        providerPaymentId: 'PM1',
        attempt: { providerReference: 'BRQ1' },
        mandate: { mandateId: 'MD1', customerReference: 'CU1' },
      },
    ]);
  });

  it('mandate events update the mandate status', () => {
    expect(paymentEventCommands('gocardless', event('mandates', 'cancelled', { mandate: 'MD1' }))).toEqual([
      { kind: 'mandate', mandateId: 'MD1', status: 'cancelled' },
    ]);
  });
});

describe('signature helpers', () => {
  it('what signStripePayload signs, verifyStripeWebhook accepts; any other secret is refused', () => {
    const body = JSON.stringify(stripeEvent('checkout.session.completed', session));
    expect(verifyStripeWebhook(body, signStripePayload(body, 'whsec_a'), 'whsec_a').id).toBe('evt_1');
    expect(() => verifyStripeWebhook(body, signStripePayload(body, 'whsec_b'), 'whsec_a')).toThrow(
      WebhookSignatureError,
    );
  });

  it('GoCardless bodies verify with the SDK and yield every event of the body', () => {
    const body = JSON.stringify({
      events: [
        {
          id: 'EV1',
          created_at: 'x',
          resource_type: 'payments',
          action: 'confirmed',
          links: { payment: 'PM1' },
        },
        {
          id: 'EV2',
          created_at: 'x',
          resource_type: 'payments',
          action: 'paid_out',
          links: { payment: 'PM1' },
        },
      ],
    });
    expect(verifyGoCardlessWebhook(body, signGoCardlessPayload(body, 's1'), 's1').map((e) => e.id)).toEqual([
      'EV1',
      'EV2',
    ]);
    expect(() => verifyGoCardlessWebhook(body, signGoCardlessPayload(body, 's2'), 's1')).toThrow(
      WebhookSignatureError,
    );
    expect(() => verifyGoCardlessWebhook(body, 'not-hex', 's1')).toThrow(WebhookSignatureError);
  });
});
